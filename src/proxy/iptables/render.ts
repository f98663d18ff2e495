// Pure rendering of a ProxySnapshot into iptables-restore input, rule for rule as upstream kube-proxy writes it.
import type { ProxySnapshot } from '../snapshot.ts'
import { servicePortKey } from '../snapshot.ts'
import { isServiceChainName } from './chain-names.ts'
import { PortRulesCache, renderPortRules, type PortSettings } from './port-rules.ts'
import { comment, RuleBuffer } from './rule-buffer.ts'

/**
 * The masquerade mark as upstream's restore input spells it: Go's `%#08x` of 1<<14.
 * iptables-save prints it back as `0x4000`; upstream's unit tests use "0x4000".
 */
export const DEFAULT_MASQUERADE_MARK = '0x00004000'

/** Endpoint count above which SEP rules lose their comments (upstream largeClusterEndpointsThreshold). */
export const LARGE_CLUSTER_ENDPOINTS = 1000

/** Settings that shape the rules; everything the renderer would otherwise read from the system. */
export interface RenderOptions {
  /** --cluster-cidr: the local-traffic detector (`! -s CIDR` masquerades off-cluster sources). */
  clusterCIDR?: string
  /** --masquerade-all. @default false */
  masqueradeAll?: boolean
  /** @default DEFAULT_MASQUERADE_MARK */
  masqueradeMark?: string
  /** --iptables-localhost-nodeports: adds KUBE-FIREWALL; when false, `! -d 127.0.0.0/8` on the NodePort jump. @default true */
  localhostNodePorts?: boolean
  /** The node's primary IPv4 address (upstream's nodeIP): lets the node reach LB IPs guarded by source ranges. */
  nodeIP?: string
  /** Node IPs matching --nodeport-addresses; undefined means every local address (addrtype LOCAL). */
  nodePortIPs?: readonly string[]
  /** nf_conntrack_tcp_be_liberal != 0 omits the INVALID drop. @default false */
  conntrackTCPLiberal?: boolean
  /** nfacct counters exist (adds the nfacct matches). @default false */
  nfacct?: boolean
  /** iptables supports MASQUERADE --random-fully. @default false */
  randomFully?: boolean
  /** Chains of the nat table as iptables-save shows them now; stale KUBE-SVC/SEP/... chains among them are deleted. */
  existingNatChains?: readonly string[]
  /** Partial sync: only these services (`ns/name`) get their per-service chains written. Undefined = full sync. */
  changedServices?: ReadonlySet<string>
  /** Lines of the previous sync, reused for unchanged services in a partial sync (and refreshed). */
  cache?: PortRulesCache
  /** Endpoints in the snapshot, when the caller already knows (else counted). */
  totalEndpoints?: number
}

// Endpoints of every service port in a snapshot.
function countEndpoints(snapshot: ProxySnapshot): number {
  let n = 0
  for (const svc of snapshot.services)
    n += snapshot.endpoints.get(servicePortKey(svc.name, svc.protocol))?.length ?? 0
  return n
}

/** The rendered restore input and what it contains. */
export interface RenderedRules {
  /** `*filter … COMMIT\n*nat … COMMIT\n`. */
  restore: string
  filterRules: number
  /** nat rules written plus those skipped by a partial sync, minus `-X` lines (upstream's iptables_total). */
  natRulesTotal: number
  /** nat rule lines in this payload excluding `-X` lines. */
  natRulesWritten: number
  /** Every per-service chain the rules use. */
  activeNatChains: ReadonlySet<string>
  deletedChains: string[]
  noLocalEndpoints: { internal: number; external: number }
}

// Renders the complete restore payload for one sync.
export function renderRules(snapshot: ProxySnapshot, opts: RenderOptions = {}): RenderedRules {
  const mark = opts.masqueradeMark ?? DEFAULT_MASQUERADE_MARK
  const localhostNodePorts = opts.localhostNodePorts ?? true
  const filter = new RuleBuffer()
  const nat = new RuleBuffer()
  for (const c of [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
  ])
    filter.chain(c)
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) nat.chain(c)

  nat.rule('-A KUBE-POSTROUTING -m mark ! --mark', `${mark}/${mark}`, '-j RETURN')
  nat.rule('-A KUBE-POSTROUTING -j MARK --xor-mark', mark)
  nat.rule(
    '-A KUBE-POSTROUTING',
    ...comment('kubernetes service traffic requiring SNAT'),
    '-j MASQUERADE',
    opts.randomFully ? '--random-fully' : '',
  )
  nat.rule('-A KUBE-MARK-MASQ -j MARK --or-mark', mark)
  if (localhostNodePorts) {
    filter.chain('KUBE-FIREWALL')
    filter.rule(
      '-A KUBE-FIREWALL',
      ...comment('block incoming localnet connections'),
      '-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    )
  }

  const settings: PortSettings = {
    clusterCIDR: opts.clusterCIDR,
    nodeIP: opts.nodeIP,
    masqueradeAll: opts.masqueradeAll ?? false,
    localhostNodePortsNfacct: localhostNodePorts && (opts.nfacct ?? false),
    largeCluster: (opts.totalEndpoints ?? countEndpoints(snapshot)) > LARGE_CLUSTER_ENDPOINTS,
  }
  const settingsKey = JSON.stringify(settings)
  // A partial sync reuses the cached lines of unchanged services; if the settings changed since they were rendered
  // (e.g. the large-cluster threshold was crossed), every service is rendered and written again.
  const cache = opts.cache
  const settingsChanged = cache !== undefined && cache.settingsKey !== settingsKey
  const writeAll = opts.changedServices === undefined || settingsChanged
  if (cache) cache.settingsKey = settingsKey
  const seen = new Set<string>()
  const active = new Set<string>()
  const removedChains: string[] = []
  const noLocal = { internal: 0, external: 0 }
  let skippedRules = 0
  const natServiceRules: string[] = []
  for (const svc of snapshot.services) {
    const key = servicePortKey(svc.name, svc.protocol)
    seen.add(key)
    const changed = writeAll || opts.changedServices!.has(svc.service)
    const before = cache?.byPort.get(key)
    let port = !changed && !settingsChanged ? before : undefined
    if (!port) {
      port = renderPortRules(svc, snapshot.endpoints.get(key) ?? [], settings)
      const now = new Set(port.chains)
      if (before) removedChains.push(...before.chains.filter((c) => !now.has(c)))
      cache?.byPort.set(key, port)
    }
    for (const c of port.chains) active.add(c)
    filter.rules.push(...port.filterRules)
    natServiceRules.push(...port.captureRules)
    if (changed) {
      nat.chains.push(...port.chainLines)
      natServiceRules.push(...port.chainRules)
    } else skippedRules += port.chainRules.length
    if (port.noLocalInternal) noLocal.internal++
    if (port.noLocalExternal) noLocal.external++
  }
  if (cache) {
    for (const [key, port] of [...cache.byPort]) {
      if (seen.has(key)) continue
      removedChains.push(...port.chains)
      cache.byPort.delete(key)
    }
  }
  nat.rules.push(...natServiceRules)

  // Stale chains: those iptables-save shows that no service uses any more (upstream's scan), or, without a scan,
  // the chains the previous rendering had and this one has not.
  const stale = opts.existingNatChains
    ? opts.existingNatChains.filter((c) => isServiceChainName(c) && !active.has(c))
    : removedChains
  const deletedChains = [...new Set(stale)].sort()
  for (const c of deletedChains) {
    nat.chain(c)
    nat.rule('-X', c)
  }

  const last = [
    '-A KUBE-SERVICES',
    ...comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
  ]
  if (opts.nodePortIPs === undefined) {
    nat.rule(
      ...last,
      '-m addrtype --dst-type LOCAL',
      localhostNodePorts ? '' : '! -d 127.0.0.0/8',
      '-j KUBE-NODEPORTS',
    )
  } else {
    for (const ip of opts.nodePortIPs) {
      if (ip.startsWith('127.') && !localhostNodePorts) continue
      nat.rule(...last, '-d', ip, '-j KUBE-NODEPORTS')
    }
  }

  if (!opts.conntrackTCPLiberal) {
    filter.rule(
      '-A KUBE-FORWARD -m conntrack --ctstate INVALID',
      opts.nfacct ? '-m nfacct --nfacct-name ct_state_invalid_dropped_pkts' : '',
      '-j DROP',
    )
  }
  filter.rule(
    '-A KUBE-FORWARD',
    ...comment('kubernetes forwarding rules'),
    '-m mark --mark',
    `${mark}/${mark}`,
    '-j ACCEPT',
  )
  filter.rule(
    '-A KUBE-FORWARD',
    ...comment('kubernetes forwarding conntrack rule'),
    '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  )

  const restore = [
    '*filter',
    ...filter.chains,
    ...filter.rules,
    'COMMIT',
    '*nat',
    ...nat.chains,
    ...nat.rules,
    'COMMIT',
    '',
  ].join('\n')
  const natRulesWritten = nat.rules.length - deletedChains.length
  return {
    restore,
    filterRules: filter.rules.length,
    natRulesTotal: natRulesWritten + skippedRules,
    natRulesWritten,
    activeNatChains: active,
    deletedChains,
    noLocalEndpoints: noLocal,
  }
}
