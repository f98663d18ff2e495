// A DnsIndex kept from Kubernetes objects: informers (or manifests) feed it Services, EndpointSlices, Pods, Namespaces.
import type { V1EndpointSlice, V1Namespace, V1Pod, V1Service } from '@kubernetes/client-node'
import type { DnsEndpoint, DnsIndex, DnsPort, DnsService, EndpointOwner } from './dns-index.ts'
import { canonicalIP } from '../kube/ip.ts'

/** The resources the index is built from. */
export type IndexedKind = 'services' | 'endpointslices' | 'pods' | 'namespaces'

/** Which resources must be listed before the index counts as synced. */
export const ALL_KINDS: readonly IndexedKind[] = ['services', 'endpointslices', 'pods', 'namespaces']

const SENTINEL: DnsPort[] = [{ name: '', port: -1, protocol: '' }]
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

// `ns/name`, lower case.
const key = (ns: string, name: string) => `${ns}/${name}`.toLowerCase()

// Adds value to the set at k of a multimap.
function addTo(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k)
  if (!s) m.set(k, (s = new Set()))
  s.add(v)
}

// Removes value from the set at k of a multimap.
function removeFrom(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k)
  if (!s) return
  s.delete(v)
  if (s.size === 0) m.delete(k)
}

// The DNS view of a Service.
export function toDnsService(s: V1Service): DnsService {
  const spec = s.spec ?? {}
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []
  const headless = spec.type !== 'ExternalName' && ips[0] === 'None'
  const ports = (spec.ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: p.port,
    protocol: p.protocol ?? 'TCP',
  }))
  return {
    name: s.metadata?.name ?? '',
    namespace: s.metadata?.namespace ?? 'default',
    type: spec.type ?? 'ClusterIP',
    clusterIPs:
      spec.type === 'ExternalName' || headless ? [] : ips.map((ip) => canonicalIP(ip) ?? ip).filter(Boolean),
    headless,
    externalName: spec.type === 'ExternalName' ? spec.externalName : undefined,
    ports: ports.length ? ports : SENTINEL,
  }
}

// The ready addresses of a slice (conditions.ready true or unset), each with the slice's ports.
export function sliceEndpoints(slice: V1EndpointSlice): DnsEndpoint[] {
  const ports = (slice.ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: p.port ?? -1,
    protocol: p.protocol ?? 'TCP',
  }))
  const out: DnsEndpoint[] = []
  for (const ep of slice.endpoints ?? []) {
    if (ep.conditions?.ready === false) continue
    for (const addr of ep.addresses ?? []) {
      out.push({
        ip: canonicalIP(addr) ?? addr,
        hostname: ep.hostname || undefined,
        podName: ep.targetRef?.kind === 'Pod' || !ep.targetRef?.kind ? ep.targetRef?.name : undefined,
        ports: ports.length ? ports : SENTINEL,
      })
    }
  }
  return out
}

// Indexes Services, EndpointSlices, Pods and Namespaces for DNS lookups; `generation` counts changes.
export class ClusterIndex implements DnsIndex {
  readonly #services = new Map<string, DnsService>()
  readonly #byClusterIP = new Map<string, Set<string>>()
  /** service key → slice key → ready endpoints */
  readonly #slices = new Map<string, Map<string, DnsEndpoint[]>>()
  /** slice key → service key */
  readonly #sliceOwner = new Map<string, string>()
  readonly #endpointsByIP = new Map<string, Set<string>>()
  readonly #namespaces = new Set<string>()
  /** pod key → its IPs and namespace */
  readonly #pods = new Map<string, { namespace: string; ips: string[] }>()
  readonly #podsByIP = new Map<string, Set<string>>()
  readonly #synced = new Set<IndexedKind>()
  readonly #required: ReadonlySet<IndexedKind>
  readonly #now: () => number
  #serial: number
  /** Bumped on every change; answer caches compare it. */
  generation = 0

  constructor(opts: { required?: readonly IndexedKind[]; now?: () => number } = {}) {
    this.#required = new Set(opts.required ?? ALL_KINDS)
    this.#now = opts.now ?? Date.now
    this.#serial = Math.floor(this.#now() / 1000)
  }

  // Records that a resource has been listed once.
  markSynced(kind: IndexedKind): void {
    this.#synced.add(kind)
    this.#changed()
  }

  // Adds or replaces an object of a kind.
  upsert(kind: IndexedKind, obj: object): void {
    if (kind === 'services') this.#putService(obj as V1Service)
    else if (kind === 'endpointslices') this.#putSlice(obj as V1EndpointSlice)
    else if (kind === 'pods') this.#putPod(obj as V1Pod)
    else this.#namespaces.add(((obj as V1Namespace).metadata?.name ?? '').toLowerCase())
    this.#changed()
  }

  // Removes an object of a kind.
  remove(kind: IndexedKind, obj: object): void {
    const m = (obj as { metadata?: { name?: string; namespace?: string } }).metadata ?? {}
    const k = key(m.namespace ?? '', m.name ?? '')
    if (kind === 'services') this.#dropService(k)
    else if (kind === 'endpointslices') this.#dropSlice(k)
    else if (kind === 'pods') this.#dropPod(k)
    else this.#namespaces.delete((m.name ?? '').toLowerCase())
    this.#changed()
  }

  #changed(): void {
    this.generation++
    this.#serial = Math.floor(this.#now() / 1000)
  }

  #putService(s: V1Service): void {
    const svc = toDnsService(s)
    const k = key(svc.namespace, svc.name)
    this.#dropService(k)
    this.#services.set(k, svc)
    for (const ip of svc.clusterIPs) addTo(this.#byClusterIP, ip, k)
  }

  #dropService(k: string): void {
    const old = this.#services.get(k)
    if (!old) return
    for (const ip of old.clusterIPs) removeFrom(this.#byClusterIP, ip, k)
    this.#services.delete(k)
  }

  #putSlice(slice: V1EndpointSlice): void {
    const ns = slice.metadata?.namespace ?? 'default'
    const sk = key(ns, slice.metadata?.name ?? '')
    this.#dropSlice(sk)
    const svcName = slice.metadata?.labels?.[SERVICE_NAME_LABEL]
    if (!svcName) return
    const owner = key(ns, svcName)
    const eps = sliceEndpoints(slice)
    let slices = this.#slices.get(owner)
    if (!slices) this.#slices.set(owner, (slices = new Map()))
    slices.set(sk, eps)
    this.#sliceOwner.set(sk, owner)
    for (const ep of eps) addTo(this.#endpointsByIP, ep.ip, owner)
  }

  #dropSlice(sk: string): void {
    const owner = this.#sliceOwner.get(sk)
    if (!owner) return
    const slices = this.#slices.get(owner)!
    const old = slices.get(sk) ?? []
    slices.delete(sk)
    if (slices.size === 0) this.#slices.delete(owner)
    this.#sliceOwner.delete(sk)
    const still = new Set([...slices.values()].flat().map((e) => e.ip))
    for (const ep of old) if (!still.has(ep.ip)) removeFrom(this.#endpointsByIP, ep.ip, owner)
  }

  #putPod(p: V1Pod): void {
    const k = key(p.metadata?.namespace ?? 'default', p.metadata?.name ?? '')
    this.#dropPod(k)
    if (p.metadata?.deletionTimestamp) return
    const raw = p.status?.podIPs?.map((x) => x.ip) ?? (p.status?.podIP ? [p.status.podIP] : [])
    const ips = raw.map((ip) => canonicalIP(ip) ?? ip)
    const namespace = (p.metadata?.namespace ?? 'default').toLowerCase()
    this.#pods.set(k, { namespace, ips })
    for (const ip of ips) addTo(this.#podsByIP, ip, k)
  }

  #dropPod(k: string): void {
    const old = this.#pods.get(k)
    if (!old) return
    for (const ip of old.ips) removeFrom(this.#podsByIP, ip, k)
    this.#pods.delete(k)
  }

  hasSynced(): boolean {
    for (const k of this.#required) if (!this.#synced.has(k)) return false
    return true
  }
  namespaceExists(namespace: string): boolean {
    return this.#namespaces.has(namespace)
  }
  service(namespace: string, name: string): DnsService | undefined {
    return this.#services.get(key(namespace, name))
  }
  endpoints(namespace: string, name: string): DnsEndpoint[] {
    const slices = this.#slices.get(key(namespace, name))
    if (!slices) return []
    return [...slices.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([, eps]) => eps)
  }
  servicesByClusterIP(ip: string): DnsService[] {
    return [...(this.#byClusterIP.get(ip) ?? [])].sort().map((k) => this.#services.get(k)!)
  }
  endpointsByIP(ip: string): EndpointOwner[] {
    const out: EndpointOwner[] = []
    for (const owner of [...(this.#endpointsByIP.get(ip) ?? [])].sort()) {
      const [namespace, service] = owner.split('/') as [string, string]
      for (const endpoint of this.endpoints(namespace, service))
        if (endpoint.ip === ip) out.push({ namespace, service, endpoint })
    }
    return out
  }
  podNamespacesByIP(ip: string): string[] {
    return [...(this.#podsByIP.get(ip) ?? [])].map((k) => this.#pods.get(k)!.namespace)
  }
  serial(): number {
    return this.#serial
  }
  /** Counts, for logs and metrics. */
  sizes(): Record<IndexedKind, number> {
    return {
      services: this.#services.size,
      endpointslices: this.#sliceOwner.size,
      pods: this.#pods.size,
      namespaces: this.#namespaces.size,
    }
  }
}
