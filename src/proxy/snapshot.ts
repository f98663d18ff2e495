// The proxy's view of the cluster: service ports and their endpoints, built by pure functions from API objects.
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node'
import { namespacedName, objectKey } from '../kube/object-key.ts'
import { canonicalIPOf, formatFamilyCidr, joinHostPort, parseFamilyCidr, type IPFamily } from './ip-family.ts'

/** Protocols a service port can use. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP'

/** Default ClientIP session affinity timeout (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800

/** One port of one Service, as one family's kube-proxy ServicePortInfo sees it (addresses of that family only). */
export interface ServicePortInfo {
  /** `ns/svc` or `ns/svc:port` (ServicePortName.String()). */
  name: string
  /** `ns/svc`: the Service this port belongs to (the unit of partial syncs). */
  service: string
  protocol: Protocol
  clusterIP: string
  port: number
  /** 0 when the port has no node port. */
  nodePort: number
  type: string
  externalIPs: string[]
  loadBalancerVIPs: string[]
  /** Canonical CIDRs; empty if unset or if any range is /0. */
  loadBalancerSourceRanges: string[]
  /** Only set for type=LoadBalancer with externalTrafficPolicy=Local; else 0. */
  healthCheckNodePort: number
  internalPolicyLocal: boolean
  /** Only true when the service is externally accessible and eTP=Local. */
  externalPolicyLocal: boolean
  /** ClientIP affinity timeout in seconds, or undefined without session affinity. */
  affinitySeconds: number | undefined
}

/** One endpoint of one service port. */
export interface EndpointInfo {
  ip: string
  port: number
  /** `ip:port` (`[ip]:port` for IPv6), the SEP hash input and sort key. */
  endpoint: string
  ready: boolean
  serving: boolean
  terminating: boolean
  /** nodeName == this node. */
  isLocal: boolean
}

/** Everything the renderer needs. */
export interface ProxySnapshot {
  /** Sorted by name then protocol. */
  services: ServicePortInfo[]
  /** Endpoints per servicePortKey(), sorted by `ip:port` string. */
  endpoints: ReadonlyMap<string, EndpointInfo[]>
}

// The key joining a service port to its endpoints: name plus protocol.
export function servicePortKey(name: string, protocol: string): string {
  return `${name}#${protocol}`
}

// Builds the ServicePortName string `ns/svc[:port]`.
export function servicePortName(namespace: string, service: string, port: string | undefined): string {
  const name = namespacedName(namespace, service)
  return port ? `${name}:${port}` : name
}

// Normalises a protocol field (default TCP).
function protocolOf(p: string | undefined): Protocol {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP'
}

// The cluster IP of the family (upstream GetClusterIPByFamily), or undefined for headless/ExternalName services and
// services without one of that family.
function clusterIPOf(svc: V1Service, family: IPFamily): string | undefined {
  const spec = svc.spec
  if (!spec || spec.type === 'ExternalName') return undefined
  if (!spec.clusterIP || spec.clusterIP === 'None') return undefined
  for (const ip of spec.clusterIPs ?? [spec.clusterIP]) {
    const canonical = canonicalIPOf(ip, family)
    if (canonical) return canonical
  }
  return undefined
}

// The addresses of the family among a list (others are dropped, as upstream's MapIPsByIPFamily), canonical.
function ipsOf(list: readonly string[], family: IPFamily): string[] {
  return list.map((ip) => canonicalIPOf(ip, family)).filter((ip): ip is string => ip !== undefined)
}

/** Labels that make kube-proxy ignore a Service and its EndpointSlices (upstream's informer label selector). */
export const IGNORED_SERVICE_LABELS = [
  'service.kubernetes.io/service-proxy-name',
  'service.kubernetes.io/headless',
]

// True when the labels hand the object to another proxy or mark a headless service's slices.
export function ignoredByProxy(labels: Record<string, string> | undefined): boolean {
  return labels !== undefined && IGNORED_SERVICE_LABELS.some((l) => l in labels)
}

// Converts one Service into its service ports of one family (none for headless, ExternalName or other-family services).
export function servicePortsFromService(svc: V1Service, family: IPFamily = 'IPv4'): ServicePortInfo[] {
  const clusterIP = clusterIPOf(svc, family)
  const spec = svc.spec
  const ns = svc.metadata?.namespace ?? ''
  const name = svc.metadata?.name ?? ''
  if (!clusterIP || !spec || ignoredByProxy(svc.metadata?.labels)) return []
  const type = spec.type ?? 'ClusterIP'
  const externalIPs = ipsOf(spec.externalIPs ?? [], family)
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || externalIPs.length > 0
  const externalPolicyLocal = externallyAccessible && spec.externalTrafficPolicy === 'Local'
  const loadBalancerVIPs = ipsOf(
    (svc.status?.loadBalancer?.ingress ?? [])
      .filter((ing) => ing.ipMode !== 'Proxy')
      .map((ing) => ing.ip ?? ''),
    family,
  )
  let ranges = (spec.loadBalancerSourceRanges ?? [])
    .map((r) => parseFamilyCidr(r, family))
    .filter((c) => c !== undefined)
  if (ranges.some((c) => c.prefix === 0)) ranges = []
  const affinitySeconds =
    spec.sessionAffinity === 'ClientIP'
      ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS)
      : undefined
  return (spec.ports ?? []).map((p) => ({
    name: servicePortName(ns, name, p.name),
    service: `${ns}/${name}`,
    protocol: protocolOf(p.protocol),
    clusterIP,
    port: p.port,
    nodePort: p.nodePort ?? 0,
    type,
    externalIPs,
    loadBalancerVIPs,
    loadBalancerSourceRanges: ranges.map(formatFamilyCidr),
    healthCheckNodePort: type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0,
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    externalPolicyLocal,
    affinitySeconds,
  }))
}

/** The label joining an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

// The `ns/svc` a slice belongs to, or undefined when it lacks the service-name label.
export function sliceServiceName(slice: V1EndpointSlice): string | undefined {
  const svc = slice.metadata?.labels?.[SERVICE_NAME_LABEL]
  return svc ? namespacedName(slice.metadata?.namespace ?? '', svc) : undefined
}

// Endpoints per servicePortKey() contributed by one slice of the family's addressType (an unnamed port's missing
// name counts as "").
export function endpointsFromSlice(
  slice: V1EndpointSlice,
  nodeName: string,
  family: IPFamily = 'IPv4',
): Map<string, EndpointInfo[]> {
  const out = new Map<string, EndpointInfo[]>()
  const svc = slice.metadata?.labels?.[SERVICE_NAME_LABEL]
  if (!svc || slice.addressType !== family || ignoredByProxy(slice.metadata?.labels)) return out
  const ns = slice.metadata?.namespace ?? ''
  for (const port of slice.ports ?? []) {
    if (port.port === undefined || port.port === null) continue
    const key = servicePortKey(servicePortName(ns, svc, port.name), protocolOf(port.protocol))
    const list = out.get(key) ?? []
    for (const ep of slice.endpoints ?? []) {
      const ip = canonicalIPOf(ep.addresses?.[0] ?? '', family)
      if (!ip) continue
      list.push({
        ip,
        port: port.port,
        endpoint: joinHostPort(ip, port.port),
        ready: ep.conditions?.ready ?? true,
        serving: ep.conditions?.serving ?? true,
        terminating: ep.conditions?.terminating ?? false,
        isLocal: ep.nodeName !== undefined && ep.nodeName === nodeName,
      })
    }
    out.set(key, list)
  }
  return out
}

// Merges endpoints of several slices: duplicates (same ip:port) collapse (a local copy wins), sorted by ip:port string.
export function mergeEndpoints(lists: Iterable<EndpointInfo[]>): EndpointInfo[] {
  const byEndpoint = new Map<string, EndpointInfo>()
  for (const list of lists) {
    for (const ep of list) {
      if (!byEndpoint.has(ep.endpoint) || ep.isLocal) byEndpoint.set(ep.endpoint, ep)
    }
  }
  return [...byEndpoint.values()].sort((a, b) =>
    a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0,
  )
}

// Orders service ports by name, then protocol (the snapshot's order, hence the rules').
export function comparePorts(a: ServicePortInfo, b: ServicePortInfo): number {
  return a.name < b.name
    ? -1
    : a.name > b.name
      ? 1
      : a.protocol < b.protocol
        ? -1
        : a.protocol > b.protocol
          ? 1
          : 0
}

// Endpoints per servicePortKey() of a set of slices, applied in name order as upstream's cache does.
export function endpointsOfSlices(
  slices: Iterable<V1EndpointSlice>,
  nodeName: string,
  family: IPFamily = 'IPv4',
): Map<string, EndpointInfo[]> {
  const sorted = [...slices].sort((a, b) => {
    const ka = objectKey(a.metadata)
    const kb = objectKey(b.metadata)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  const perKey = new Map<string, EndpointInfo[][]>()
  for (const slice of sorted) {
    for (const [key, list] of endpointsFromSlice(slice, nodeName, family)) {
      const lists = perKey.get(key)
      if (lists) lists.push(list)
      else perKey.set(key, [list])
    }
  }
  const endpoints = new Map<string, EndpointInfo[]>()
  for (const [key, lists] of perKey) endpoints.set(key, mergeEndpoints(lists))
  return endpoints
}

// Builds one family's snapshot from every Service and EndpointSlice.
export function buildSnapshot(
  services: Iterable<V1Service>,
  slices: Iterable<V1EndpointSlice>,
  nodeName: string,
  family: IPFamily = 'IPv4',
): ProxySnapshot {
  const ports = [...services].flatMap((s) => servicePortsFromService(s, family)).sort(comparePorts)
  return { services: ports, endpoints: endpointsOfSlices(slices, nodeName, family) }
}
