// `svcnet proxy trace`: follows one packet through kube-proxy's rules (rendered from manifests, or this node's live
// iptables-save) and prints the path and the possible destinations with their chances.
import { networkInterfaces } from 'node:os'
import { canonicalAnyIP, familyOf, iptablesBinary, splitHostPort, type IPFamily } from './ip-family.ts'
import { runCommand, UsageError, type CommandSpec } from '../flags/command.ts'
import { detectBackend } from './iptables/backend.ts'
import { renderRules } from './iptables/render.ts'
import { parseIptablesSave } from './iptables/restore-parse.ts'
import { SystemIptables } from './iptables/runner.ts'
import { readManifestFiles } from './manifests.ts'
import { RENDER_SPEC, renderOptions } from './render-command.ts'
import { buildSnapshot } from './snapshot.ts'
import { formatTrace } from './trace/format.ts'
import { tracePacket, type TracePacket } from './trace/trace.ts'

// The render flags trace takes with -f (the packet's family picks the rules, so no --ip-family).
const { 'ip-family': _ipFamily, ...RENDER_FLAGS } = RENDER_SPEC.flags

/** The trace command's flags: the packet, where the rules come from, and the render flags for -f. */
export const TRACE_SPEC: CommandSpec = {
  name: 'svcnet proxy trace',
  summary:
    'Follows one packet through the rules as the kernel would and prints where it can go, with what chance.',
  flags: {
    src: { type: 'string', value: 'IP[:PORT]', description: 'source of the packet ([IPv6]:PORT for IPv6)' },
    dst: {
      type: 'string',
      value: 'IP:PORT',
      description:
        'destination of the packet ([IPv6]:PORT); its family picks the iptables or ip6tables rules',
    },
    proto: { type: 'string', default: 'tcp', description: 'tcp, udp or sctp' },
    node: { type: 'string', value: 'NAME', description: 'with -f: the node whose rules are rendered' },
    'from-node': {
      type: 'boolean',
      description: "trace through this network namespace's live iptables-save",
    },
    'sent-by-node': { type: 'boolean', description: 'the packet leaves a process on the node (nat OUTPUT)' },
    ...RENDER_FLAGS,
  },
  notes:
    'With -f the rules are rendered as `svcnet proxy render` would (same flags); --node-ip gives the node addresses.',
}

// Splits IP[:PORT] or [IPv6][:PORT] (a bare IPv6 address when no port is needed).
function hostPort(text: string, flag: string, needPort: boolean): { ip: string; port?: number } {
  const hp = splitHostPort(text)
  const ip = hp && canonicalAnyIP(hp.host)
  const n = hp?.port === undefined ? undefined : Number(hp.port)
  if (
    !ip ||
    (n !== undefined && !(Number.isInteger(n) && n > 0 && n < 65536)) ||
    (needPort && n === undefined)
  )
    throw new UsageError(
      `invalid --${flag} ${JSON.stringify(text)}: want ${needPort ? 'IP:PORT or [IPv6]:PORT' : 'IP[:PORT] or [IPv6][:PORT]'}`,
    )
  return n === undefined ? { ip } : { ip, port: n }
}

// This namespace's addresses of one family.
function localAddresses(family: IPFamily): string[] {
  return Object.values(networkInterfaces()).flatMap((l) =>
    (l ?? []).filter((a) => a.family === family).map((a) => canonicalAnyIP(a.address) ?? a.address),
  )
}

// Runs `proxy trace`.
export async function traceCommand(
  argv: readonly string[],
  stdout: (s: string) => void = (s) => void process.stdout.write(s),
): Promise<number> {
  return runCommand(TRACE_SPEC, argv, async ({ flags }) => {
    if (!flags.src || !flags.dst) throw new UsageError('proxy trace needs --src and --dst')
    const src = hostPort(flags.src as string, 'src', false)
    const dst = hostPort(flags.dst as string, 'dst', true)
    const files = (flags.filename as string[] | undefined) ?? []
    const live = flags['from-node'] === true
    if (live === files.length > 0) throw new UsageError('proxy trace needs either -f FILE… or --from-node')
    const family = familyOf(dst.ip)!
    if (familyOf(src.ip) !== family)
      throw new UsageError(`--src ${src.ip} and --dst ${dst.ip} are of different IP families`)
    const pkt: TracePacket = { src: src.ip, dst: dst.ip, dport: dst.port!, proto: flags.proto as string }
    if (src.port !== undefined) pkt.sport = src.port
    let text: string
    let localIPs: string[]
    if (live) {
      const { backend } = await detectBackend()
      const ipt = new SystemIptables({ binary: iptablesBinary(family, backend) })
      text = (await ipt.save('filter')) + (await ipt.save('nat'))
      localIPs = localAddresses(family)
    } else {
      // The packet's family picks the proxier: its rules are the ones rendered.
      const opts = renderOptions(flags, family)
      const m = readManifestFiles(files)
      text = renderRules(
        buildSnapshot(m.services, m.slices, (flags.node as string | undefined) ?? '', family),
        opts,
      ).restore
      localIPs = ((flags['node-ip'] as string[] | undefined) ?? [])
        .map((ip) => canonicalAnyIP(ip))
        .filter((ip): ip is string => ip !== undefined && familyOf(ip) === family)
    }
    const traceOpts = { localIPs, fromNode: flags['sent-by-node'] === true }
    stdout(formatTrace(pkt, traceOpts, tracePacket(parseIptablesSave(text), pkt, traceOpts)))
    return 0
  })
}
