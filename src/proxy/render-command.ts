// `svcnet proxy render -f FILE…`: prints the restore payload of a full sync for manifests, touching nothing.
import { parseCidr4, canonicalIPv4 } from '../kube/ip.ts'
import { runCommand, UsageError, type CommandSpec } from '../flags/command.ts'
import { renderRules, type RenderOptions } from './iptables/render.ts'
import { readManifestFiles } from './manifests.ts'
import { nodeInternalIP } from './node-eligibility.ts'
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
      value: 'CIDR',
      description: 'local traffic detector (! -s CIDR is masqueraded)',
    },
    'node-ip': { type: 'strings', value: 'IP', description: "the node's IPs (node ports, LB source ranges)" },
    'masquerade-all': { type: 'boolean', description: 'masquerade all cluster IP traffic' },
    'nodeport-addresses': {
      type: 'string',
      value: 'CIDR[,CIDR…]',
      description: 'node ports only on node IPs in these CIDRs ("primary": the node IPs)',
    },
    'iptables-localhost-nodeports': {
      type: 'boolean',
      default: true,
      description: 'node ports on 127.0.0.0/8',
    },
  },
}

// Turns the render flags into render options; throws UsageError listing every bad value.
export function renderOptions(flags: Record<string, unknown>): RenderOptions {
  const problems: string[] = []
  const cidr = flags['cluster-cidr'] as string | undefined
  if (cidr !== undefined && !parseCidr4(cidr, 'strict'))
    problems.push(`invalid --cluster-cidr ${JSON.stringify(cidr)}`)
  const nodeIPs: string[] = []
  for (const ip of (flags['node-ip'] as string[] | undefined) ?? []) {
    const v4 = canonicalIPv4(ip)
    if (v4) nodeIPs.push(v4)
    else if (!ip.includes(':')) problems.push(`invalid --node-ip ${JSON.stringify(ip)}`)
    // IPv6 node IPs are accepted (dual stack) and unused: the proxier is IPv4 only.
  }
  let localhostNodePorts = flags['iptables-localhost-nodeports'] !== false
  let nodePortIPs: string[] | undefined
  const npa = flags['nodeport-addresses'] as string | undefined
  if (npa !== undefined && npa.trim() !== '') {
    const entries = npa
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    for (const e of entries)
      if (e !== 'primary' && !parseCidr4(e, 'strict') && !e.includes(':'))
        problems.push(`invalid --nodeport-addresses entry ${JSON.stringify(e)}`)
    // The node's interface addresses as upstream would find them: its IPs, plus loopback.
    const picked = pickNodePortAddresses(entries, [...nodeIPs, '127.0.0.1'], nodeIPs, localhostNodePorts)
    nodePortIPs = picked?.ips
    localhostNodePorts = picked?.localhostNodePorts ?? localhostNodePorts
  }
  if (problems.length) throw new UsageError(problems.join('\n'))
  return {
    clusterCIDR: cidr,
    masqueradeAll: flags['masquerade-all'] === true,
    localhostNodePorts,
    nodeIP: nodeIPs[0],
    nodePortIPs,
  }
}

// Runs `proxy render`: returns the exit code, writing the payload to stdout.
export async function renderCommand(
  argv: readonly string[],
  stdout: (s: string) => void = (s) => void process.stdout.write(s),
): Promise<number> {
  return runCommand(RENDER_SPEC, argv, async ({ flags }) => {
    const files = (flags.filename as string[] | undefined) ?? []
    if (files.length === 0)
      throw new UsageError('proxy render needs at least one -f FILE (use -f - for stdin)')
    const opts = renderOptions(flags)
    const m = readManifestFiles(files)
    const node = (flags['hostname-override'] as string | undefined) ?? ''
    // Without --node-ip, the node's IP is its Node object's InternalIP, as the daemon takes it.
    opts.nodeIP ??= nodeInternalIP(m.nodes.find((n) => n.metadata?.name === node))
    stdout(renderRules(buildSnapshot(m.services, m.slices, node), opts).restore)
    return 0
  })
}
