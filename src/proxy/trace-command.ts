// `svcnet proxy trace`: follows one packet through kube-proxy's rules (rendered from manifests, or this node's live
// iptables-save) and prints the path and the possible destinations with their chances.
import { networkInterfaces } from 'node:os'
import { canonicalIPv4 } from '../kube/ip.ts'
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

/** The trace command's flags: the packet, where the rules come from, and the render flags for -f. */
export const TRACE_SPEC: CommandSpec = {
  name: 'svcnet proxy trace',
  summary:
    'Follows one packet through the rules as the kernel would and prints where it can go, with what chance.',
  flags: {
    src: { type: 'string', value: 'IP[:PORT]', description: 'source of the packet' },
    dst: { type: 'string', value: 'IP:PORT', description: 'destination of the packet' },
    proto: { type: 'string', default: 'tcp', description: 'tcp, udp or sctp' },
    node: { type: 'string', value: 'NAME', description: 'with -f: the node whose rules are rendered' },
    'from-node': {
      type: 'boolean',
      description: "trace through this network namespace's live iptables-save",
    },
    'sent-by-node': { type: 'boolean', description: 'the packet leaves a process on the node (nat OUTPUT)' },
    ...RENDER_SPEC.flags,
  },
  notes:
    'With -f the rules are rendered as `svcnet proxy render` would (same flags); --node-ip gives the node addresses.',
}

// Splits IP[:PORT].
function hostPort(text: string, flag: string, needPort: boolean): { ip: string; port?: number } {
  const [host, port, ...rest] = text.split(':')
  const ip = canonicalIPv4(host ?? '')
  const n = port === undefined ? undefined : Number(port)
  if (
    !ip ||
    rest.length ||
    (n !== undefined && !(Number.isInteger(n) && n > 0 && n < 65536)) ||
    (needPort && n === undefined)
  )
    throw new UsageError(
      `invalid --${flag} ${JSON.stringify(text)}: want ${needPort ? 'IP:PORT' : 'IP[:PORT]'}`,
    )
  return n === undefined ? { ip } : { ip, port: n }
}

// This namespace's IPv4 addresses.
function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((l) =>
    (l ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address),
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
    const pkt: TracePacket = { src: src.ip, dst: dst.ip, dport: dst.port!, proto: flags.proto as string }
    if (src.port !== undefined) pkt.sport = src.port
    let text: string
    let localIPs: string[]
    if (live) {
      const { backend } = await detectBackend()
      const ipt = new SystemIptables({ binary: `iptables-${backend}` })
      text = (await ipt.save('filter')) + (await ipt.save('nat'))
      localIPs = localAddresses()
    } else {
      const opts = renderOptions(flags)
      const m = readManifestFiles(files)
      text = renderRules(
        buildSnapshot(m.services, m.slices, (flags.node as string | undefined) ?? ''),
        opts,
      ).restore
      localIPs = ((flags['node-ip'] as string[] | undefined) ?? []).filter((ip) => canonicalIPv4(ip))
    }
    const traceOpts = { localIPs, fromNode: flags['sent-by-node'] === true }
    stdout(formatTrace(pkt, traceOpts, tracePacket(parseIptablesSave(text), pkt, traceOpts)))
    return 0
  })
}
