// `svcnet proxy render -f FILE…`: prints the restore payload of a full sync for manifests, touching nothing; one
// payload per IP family the node has (upstream's dual-stack proxier runs an iptables and an ip6tables proxier).
import type { V1Node } from '@kubernetes/client-node'
import { runCommand, UsageError, type CommandSpec } from '../flags/command.ts'
import { parseCidr4 } from '../kube/ip.ts'
import { renderRules, type RenderOptions } from './iptables/render.ts'
import { canonicalAnyIP, familyOf, IP_FAMILIES, parseFamilyCidr, type IPFamily } from './ip-family.ts'
import { readManifestFiles } from './manifests.ts'
import { nodeInternalIPs } from './node-eligibility.ts'
import { pickNodePortAddresses } from './nodeport-addresses.ts'
import { buildSnapshot } from './snapshot.ts'

/** The render command's flags (upstream kube-proxy's names). */
export const RENDER_SPEC: CommandSpec = {
  name: 'svcnet proxy render',
  summary:
    'Prints the iptables-restore input of a full sync (*filter … COMMIT, *nat … COMMIT) for the Services and ' +
    'EndpointSlices in the manifests, as given: no API defaulting; absent endpoint conditions mean ready.',
  flags: {
    filename: {
      type: 'strings',
      short: 'f',
      value: 'FILE',
      description: 'manifest file (YAML or JSON; - for stdin)',
    },
    'hostname-override': {
      type: 'string',
      value: 'NAME',
      description: 'the node: endpoints with this nodeName are local',
    },
    'cluster-cidr': {
      type: 'string',
      value: 'CIDR[,CIDR]',
      description: 'local traffic detector (! -s CIDR is masqueraded); one CIDR per family for dual stack',
    },
    'node-ip': {
      type: 'strings',
      value: 'IP',
      description: "the node's IPs (node ports, LB source ranges); one per family for dual stack",
    },
    'ip-family': {
      type: 'string',
      value: 'ipv4|ipv6',
      description: "print only this family's payload (default: every family the node has)",
    },
    'masquerade-all': { type: 'boolean', description: 'masquerade all cluster IP traffic' },
    'nodeport-addresses': {
      type: 'string',
      value: 'CIDR[,CIDR…]',
      description: 'node ports only on node IPs in these CIDRs ("primary": the node IPs)',
    },
    'iptables-localhost-nodeports': {
      type: 'boolean',
      default: true,
      description: 'node ports on 127.0.0.0/8 (IPv4 only, as upstream)',
    },
  },
  notes: `IP families: the node's families come from --node-ip (else the Node object's InternalIPs in the manifests)
and --cluster-cidr; IPv4 when none says. One family prints its iptables-restore (IPv4) or ip6tables-restore (IPv6)
input alone. Two print both, IPv4 first, each after a "# IPv4: iptables-restore input" / "# IPv6: ip6tables-restore
input" comment line (iptables-restore skips comments); --ip-family picks one of them.`,
}

// The --cluster-cidr entries, checked; a list with more than one CIDR of a family is refused as upstream does.
function clusterCIDRs(text: string | undefined, problems: string[]): Map<IPFamily, string> {
  const out = new Map<IPFamily, string>()
  for (const entry of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const c = parseFamilyCidr(entry)
    if (!c || (c.family === 'IPv4' && !parseCidr4(entry, 'strict'))) {
      problems.push(`invalid --cluster-cidr ${JSON.stringify(entry)}`)
      continue
    }
    if (out.has(c.family))
      problems.push(`--cluster-cidr has more than one ${c.family} CIDR: ${JSON.stringify(text)}`)
    out.set(c.family, entry)
  }
  return out
}

// The --node-ip values, canonical, checked.
function nodeIPFlags(flags: Record<string, unknown>, problems: string[]): string[] {
  const out: string[] = []
  for (const ip of (flags['node-ip'] as string[] | undefined) ?? []) {
    const canonical = canonicalAnyIP(ip)
    if (canonical) out.push(canonical)
    else problems.push(`invalid --node-ip ${JSON.stringify(ip)}`)
  }
  return out
}

// Turns the render flags into one family's render options; throws UsageError listing every bad value.
export function renderOptions(flags: Record<string, unknown>, family: IPFamily = 'IPv4'): RenderOptions {
  const problems: string[] = []
  const cidrs = clusterCIDRs(flags['cluster-cidr'] as string | undefined, problems)
  const allNodeIPs = nodeIPFlags(flags, problems)
  const nodeIPs = allNodeIPs.filter((ip) => familyOf(ip) === family)
  let localhostNodePorts = family === 'IPv4' && flags['iptables-localhost-nodeports'] !== false
  let nodePortIPs: string[] | undefined
  const npa = flags['nodeport-addresses'] as string | undefined
  if (npa !== undefined && npa.trim() !== '') {
    const entries = npa
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    for (const e of entries)
      if (e !== 'primary' && !parseFamilyCidr(e))
        problems.push(`invalid --nodeport-addresses entry ${JSON.stringify(e)}`)
    // The node's interface addresses as upstream would find them: its IPs, plus loopback.
    const loopback = family === 'IPv4' ? '127.0.0.1' : '::1'
    const picked = pickNodePortAddresses(entries, [...nodeIPs, loopback], nodeIPs, localhostNodePorts, family)
    nodePortIPs = picked?.ips
    localhostNodePorts = picked?.localhostNodePorts ?? localhostNodePorts
  }
  if (problems.length) throw new UsageError(problems.join('\n'))
  return {
    ipFamily: family,
    clusterCIDR: cidrs.get(family),
    masqueradeAll: flags['masquerade-all'] === true,
    localhostNodePorts,
    nodeIP: nodeIPs[0],
    nodePortIPs,
  }
}

// The families to render: --ip-family, else those of the node IPs (flags, else the Node's InternalIPs) and of
// --cluster-cidr, IPv4 first; IPv4 alone when nothing names a family.
export function renderFamilies(flags: Record<string, unknown>, node: V1Node | undefined): IPFamily[] {
  const wanted = flags['ip-family'] as string | undefined
  if (wanted !== undefined) {
    const f = IP_FAMILIES.find((x) => x.toLowerCase() === wanted.toLowerCase())
    if (!f) throw new UsageError(`invalid --ip-family ${JSON.stringify(wanted)}: want ipv4 or ipv6`)
    return [f]
  }
  const flagIPs = (flags['node-ip'] as string[] | undefined) ?? []
  const ips = flagIPs.length ? flagIPs : nodeInternalIPs(node)
  const cidrs = ((flags['cluster-cidr'] as string | undefined) ?? '').split(',').filter((s) => s.trim())
  const seen = new Set([...ips, ...cidrs].map((t) => familyOf(t)).filter((f) => f !== undefined))
  const families = IP_FAMILIES.filter((f) => seen.has(f))
  return families.length ? families : ['IPv4']
}

// Runs `proxy render`: returns the exit code, writing the payload(s) to stdout.
export async function renderCommand(
  argv: readonly string[],
  stdout: (s: string) => void = (s) => void process.stdout.write(s),
): Promise<number> {
  return runCommand(RENDER_SPEC, argv, async ({ flags }) => {
    const files = (flags.filename as string[] | undefined) ?? []
    if (files.length === 0)
      throw new UsageError('proxy render needs at least one -f FILE (use -f - for stdin)')
    const nodeName = (flags['hostname-override'] as string | undefined) ?? ''
    // Flags are checked before the (possibly large) manifests are read.
    for (const f of IP_FAMILIES) renderOptions(flags, f)
    const m = readManifestFiles(files)
    const node = m.nodes.find((n) => n.metadata?.name === nodeName)
    const families = renderFamilies(flags, node)
    for (const family of families) {
      const opts = renderOptions(flags, family)
      // Without --node-ip, the node's IP is its Node object's InternalIP of the family, as the daemon takes it.
      opts.nodeIP ??= nodeInternalIPs(node).find((ip) => familyOf(ip) === family)
      const payload = renderRules(buildSnapshot(m.services, m.slices, nodeName, family), opts).restore
      if (families.length > 1)
        stdout(`# ${family}: ${family === 'IPv4' ? 'iptables' : 'ip6tables'}-restore input\n`)
      stdout(payload)
    }
    return 0
  })
}
