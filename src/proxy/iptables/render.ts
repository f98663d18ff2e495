// Pure rendering of a ProxySnapshot into iptables-restore input, rule for rule as upstream kube-proxy writes it.
import type { ProxySnapshot } from '../snapshot.ts'
import { servicePortKey } from '../snapshot.ts'
import { isServiceChainName } from './chain-names.ts'
import {
  lines,
  type PortRules,
  type PortRulesCache,
  renderPortRules,
  type PortSettings,
} from './port-rules.ts'
import { comment, RuleBuffer } from './rule-buffer.ts'
import { isLoopback, LOOPBACK_CIDR, type IPFamily } from '../ip-family.ts'

/**
 * The masquerade mark as upstream's restore input spells it: Go's `%#08x` of 1<<14.
 * iptables-save prints it back as `0x4000`; upstream's unit tests use "0x4000".
 */
export const DEFAULT_MASQUERADE_MARK = '0x00004000'

/** Endpoint count above which SEP rules lose their comments (upstream largeClusterEndpointsThreshold). */
export const LARGE_CLUSTER_ENDPOINTS = 1000

/** Settings that shape the rules; everything the renderer would otherwise read from the system. */
export interface RenderOptions {
  /** The proxier's family: the payload is for iptables-restore (IPv4) or ip6tables-restore (IPv6). @default IPv4 */
  ipFamily?: IPFamily
  /** --cluster-cidr: the local-traffic detector (`! -s CIDR` masquerades off-cluster sources). */
  clusterCIDR?: string
  /** --masquerade-all. @default false */
  masqueradeAll?: boolean
  /** @default DEFAULT_MASQUERADE_MARK */
  masqueradeMark?: string
  /**
   * --iptables-localhost-nodeports: adds KUBE-FIREWALL; when false, `! -d 127.0.0.0/8` on the NodePort jump. Always
   * off for IPv6 (upstream supports no localhost node ports there). @default true
   */
  localhostNodePorts?: boolean
  /** The node's IP of this family (upstream's nodeIP): lets the node reach LB IPs guarded by source ranges. */
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

// The fixed lines of one sync that come before and after the per-service blocks.
function fixedLines(opts: RenderOptions, localhostNodePorts: boolean, family: IPFamily) {
  const mark = opts.masqueradeMark ?? DEFAULT_MASQUERADE_MARK
  const filterChains = [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
  ]
  const natChains = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']
  const filterHead = new RuleBuffer()
  const filterTail = new RuleBuffer()
  const natHead = new RuleBuffer()
  const natTail = new RuleBuffer()

  // Masquerade what KUBE-MARK-MASQ marked, once: the mark is cleared so a re-routed packet is not SNATed twice.
  natHead.rule('-A KUBE-POSTROUTING -m mark ! --mark', `${mark}/${mark}`, '-j RETURN')
  natHead.rule('-A KUBE-POSTROUTING -j MARK --xor-mark', mark)
  natHead.rule(
    '-A KUBE-POSTROUTING',
    ...comment('kubernetes service traffic requiring SNAT'),
    '-j MASQUERADE',
    opts.randomFully ? '--random-fully' : '',
  )
  natHead.rule('-A KUBE-MARK-MASQ -j MARK --or-mark', mark)
  if (localhostNodePorts) {
    // route_localnet lets 127.0.0.0/8 be routed; only DNATed (node port) traffic to it may come from elsewhere.
    filterChains.push('KUBE-FIREWALL')
    filterHead.rule(
      '-A KUBE-FIREWALL',
      ...comment('block incoming localnet connections'),
      '-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    )
  }

  // Node ports are matched last in KUBE-SERVICES, so a cluster IP or external IP rule always wins over them.
  const last = [
    '-A KUBE-SERVICES',
    ...comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
  ]
  if (opts.nodePortIPs === undefined) {
    // Localhost node ports never work on IPv6, and on IPv4 only with route_localnet: keep loopback out otherwise.
    natTail.rule(
      ...last,
      '-m addrtype --dst-type LOCAL',
      family === 'IPv6' || !localhostNodePorts ? `! -d ${LOOPBACK_CIDR[family]}` : '',
      '-j KUBE-NODEPORTS',
    )
  } else {
    for (const ip of opts.nodePortIPs) {
      if (isLoopback(ip) && (family === 'IPv6' || !localhostNodePorts)) continue
      natTail.rule(...last, '-d', ip, '-j KUBE-NODEPORTS')
    }
  }

  if (!opts.conntrackTCPLiberal) {
    // Out-of-window packets would be delivered unNATed to the pod's node and reset the connection: drop them.
    filterTail.rule(
      '-A KUBE-FORWARD -m conntrack --ctstate INVALID',
      opts.nfacct ? '-m nfacct --nfacct-name ct_state_invalid_dropped_pkts' : '',
      '-j DROP',
    )
  }
  filterTail.rule(
    '-A KUBE-FORWARD',
    ...comment('kubernetes forwarding rules'),
    '-m mark --mark',
    `${mark}/${mark}`,
    '-j ACCEPT',
  )
  filterTail.rule(
    '-A KUBE-FORWARD',
    ...comment('kubernetes forwarding conntrack rule'),
    '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  )
  return { filterChains, natChains, filterHead, filterTail, natHead, natTail }
}

// Renders the complete restore payload for one sync.
export function renderRules(snapshot: ProxySnapshot, opts: RenderOptions = {}): RenderedRules {
  const family = opts.ipFamily ?? 'IPv4'
  const localhostNodePorts = family === 'IPv4' && (opts.localhostNodePorts ?? true)
  const fixed = fixedLines(opts, localhostNodePorts, family)
  const settings: PortSettings = {
    ipFamily: family,
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
  const ports: PortRules[] = []
  const removedChains: string[] = []
  const noLocal = { internal: 0, external: 0 }
  const counts = { filter: 0, nat: 0, skipped: 0 }
  const filterBlocks: string[] = []
  const natChainBlocks: string[] = []
  const natRuleBlocks: string[] = []
  for (const svc of snapshot.services) {
    const key = servicePortKey(svc.name, svc.protocol)
    seen.add(key)
    const changed = writeAll || opts.changedServices!.has(svc.service)
    const before = cache?.byPort.get(key)
    let port = changed ? undefined : before
    if (!port) {
      port = renderPortRules(svc, snapshot.endpoints.get(key) ?? [], settings)
      if (before) {
        const now = new Set(port.chains)
        for (const c of before.chains) if (!now.has(c)) removedChains.push(c)
      }
      cache?.byPort.set(key, port)
    }
    ports.push(port)
    filterBlocks.push(port.filterText)
    natRuleBlocks.push(port.captureText)
    counts.filter += port.filterCount
    counts.nat += port.captureCount
    if (changed) {
      natChainBlocks.push(port.chainLinesText)
      natRuleBlocks.push(port.chainRulesText)
      counts.nat += port.chainRuleCount
    } else counts.skipped += port.chainRuleCount
    if (port.noLocalInternal) noLocal.internal++
    if (port.noLocalExternal) noLocal.external++
  }
  if (cache) {
    for (const [key, port] of [...cache.byPort]) {
      if (seen.has(key)) continue
      for (const c of port.chains) removedChains.push(c)
      cache.byPort.delete(key)
    }
  }
  // Every per-service chain in use, computed only when asked for (70,000 names at 10,000 Services).
  let active: Set<string> | undefined
  const activeChains = (): Set<string> => (active ??= new Set(ports.flatMap((p) => p.chains)))

  // Stale chains: those iptables-save shows that no service uses any more (upstream's scan), or, without a scan,
  // the chains the previous rendering had and this one has not. They are flushed (declared) and then deleted.
  const stale = opts.existingNatChains
    ? opts.existingNatChains.filter((c) => isServiceChainName(c) && !activeChains().has(c))
    : removedChains
  const deletedChains = [...new Set(stale)].sort()

  const restore = [
    '*filter\n',
    lines(fixed.filterChains.map((c) => `:${c} - [0:0]`)),
    lines(fixed.filterHead.rules),
    ...filterBlocks,
    lines(fixed.filterTail.rules),
    'COMMIT\n*nat\n',
    lines(fixed.natChains.map((c) => `:${c} - [0:0]`)),
    ...natChainBlocks,
    lines(deletedChains.map((c) => `:${c} - [0:0]`)),
    lines(fixed.natHead.rules),
    ...natRuleBlocks,
    lines(deletedChains.map((c) => `-X ${c}`)),
    lines(fixed.natTail.rules),
    'COMMIT\n',
  ].join('')
  const natRulesWritten = fixed.natHead.rules.length + counts.nat + fixed.natTail.rules.length
  return {
    restore,
    filterRules: fixed.filterHead.rules.length + counts.filter + fixed.filterTail.rules.length,
    natRulesTotal: natRulesWritten + counts.skipped,
    natRulesWritten,
    get activeNatChains() {
      return activeChains()
    },
    deletedChains,
    noLocalEndpoints: noLocal,
  }
}
