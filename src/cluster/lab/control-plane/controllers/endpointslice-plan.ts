// Pure EndpointSlice logic: the endpoints a Service wants, grouped by resolved port set, and the creates,
// in-place updates and deletes that turn the existing slices into them with the least churn.
import type { V1Endpoint, V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node'
import { canonicalJson, isPodReady, ownerRefTo } from './objects.ts'
import { apiTime } from '../../../../kube/time.ts'
import {
  compareIPv4,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  portSetKey,
  podIPv4,
  resolvePorts,
  SERVICE_NAME_LABEL,
  serviceDerivedLabels,
  shouldPodBeInEndpoints,
  TRIGGER_TIME_ANNOTATION,
  type ResolvedPort,
} from './service-pods.ts'

// Upstream's default --max-endpoints-per-slice.
export const MAX_ENDPOINTS_PER_SLICE = 100
// The node label whose value becomes an endpoint's zone.
export const ZONE_LABEL = 'topology.kubernetes.io/zone'

/** Endpoints sharing one resolved port set. */
export interface EndpointGroup {
  ports: ResolvedPort[]
  endpoints: V1Endpoint[]
}

/** The writes one sync makes; updates carry the full slice (with metadata.name). */
export interface SlicePlan {
  create: V1EndpointSlice[]
  update: V1EndpointSlice[]
  delete: string[]
}

// The EndpointSlice endpoint for a pod (upstream podToEndpoint).
export function podToEndpoint(svc: V1Service, pod: V1Pod, zone: string | undefined): V1Endpoint {
  const publish = svc.spec?.publishNotReadyAddresses === true
  const terminating = pod.metadata?.deletionTimestamp !== undefined
  // serving is the pod's Ready condition alone (the API's definition); only ready is overridden by
  // publishNotReadyAddresses, as upstream's podToEndpoint does.
  const serving = isPodReady(pod)
  const ready = publish || (serving && !terminating)
  const ep: V1Endpoint = {
    addresses: [podIPv4(pod) ?? ''],
    conditions: { ready, serving, terminating },
  }
  const host = pod.spec?.hostname
  if (
    host &&
    pod.spec?.subdomain === svc.metadata?.name &&
    pod.metadata?.namespace === svc.metadata?.namespace
  ) {
    ep.hostname = host
  }
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName
  if (zone) ep.zone = zone
  ep.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata?.namespace,
    name: pod.metadata?.name,
    uid: pod.metadata?.uid,
  }
  return ep
}

// The Service's endpoints grouped by resolved port set (pods with no IP or finished are left out).
export function endpointGroups(
  svc: V1Service,
  pods: V1Pod[],
  zoneOfNode: (node: string) => string | undefined,
): Map<string, EndpointGroup> {
  const groups = new Map<string, EndpointGroup>()
  const seen = new Set<string>()
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue
    const ip = podIPv4(pod)!
    if (seen.has(ip)) continue
    seen.add(ip)
    const ports = resolvePorts(svc, pod)
    const key = portSetKey(ports)
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { ports, endpoints: [] }))
    g.endpoints.push(podToEndpoint(svc, pod, pod.spec?.nodeName ? zoneOfNode(pod.spec.nodeName) : undefined))
  }
  return groups
}

const addressOf = (ep: V1Endpoint): string => ep.addresses[0] ?? ''
const sortEndpoints = (eps: V1Endpoint[]): V1Endpoint[] =>
  [...eps].sort((a, b) => compareIPv4(addressOf(a), addressOf(b)))
const slicePorts = (s: V1EndpointSlice): ResolvedPort[] =>
  (s.ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: p.port ?? 0,
    protocol: p.protocol ?? 'TCP',
    ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
  }))

// The labels of every slice of a Service.
export function sliceLabels(svc: V1Service): Record<string, string> {
  return {
    ...serviceDerivedLabels(svc),
    [SERVICE_NAME_LABEL]: svc.metadata?.name ?? '',
    [MANAGED_BY_LABEL]: MANAGED_BY,
  }
}

// A new slice for the Service (generateName `<svc>-`, owned by the Service).
function newSlice(
  svc: V1Service,
  ports: ResolvedPort[],
  endpoints: V1Endpoint[],
  now: Date,
): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata?.name ?? ''}-`,
      namespace: svc.metadata?.namespace,
      labels: sliceLabels(svc),
      annotations: { [TRIGGER_TIME_ANNOTATION]: apiTime(now) as unknown as string },
      ownerReferences: [ownerRefTo({ apiVersion: 'v1', kind: 'Service', metadata: svc.metadata })],
    },
    addressType: 'IPv4',
    endpoints: sortEndpoints(endpoints),
    ports,
  }
}

// The slice rewritten with new ports/endpoints, or undefined when nothing would change.
function rewrite(
  svc: V1Service,
  slice: V1EndpointSlice,
  ports: ResolvedPort[],
  endpoints: V1Endpoint[],
  now: Date,
): V1EndpointSlice | undefined {
  const sorted = sortEndpoints(endpoints)
  const owner = newSlice(svc, ports, [], now).metadata!.ownerReferences!
  const labels = sliceLabels(svc)
  const endpointsChanged = canonicalJson(sorted) !== canonicalJson(slice.endpoints ?? [])
  const portsChanged = canonicalJson(ports) !== canonicalJson(slicePorts(slice))
  const metaChanged =
    canonicalJson(labels) !== canonicalJson(slice.metadata?.labels ?? {}) ||
    canonicalJson(owner) !== canonicalJson(slice.metadata?.ownerReferences ?? []) ||
    slice.addressType !== 'IPv4'
  if (!endpointsChanged && !portsChanged && !metaChanged) return undefined
  const annotations = { ...slice.metadata?.annotations }
  if (endpointsChanged || portsChanged)
    annotations[TRIGGER_TIME_ANNOTATION] = apiTime(now) as unknown as string
  return {
    ...slice,
    metadata: { ...slice.metadata, labels, annotations, ownerReferences: owner },
    ports,
    endpoints: sorted,
  }
}

// Plans the slices of a Service: existing slices keep the endpoints they already hold (updated in place),
// new endpoints fill free room first, and slices that would be deleted are reused for creates.
export function planSlices(
  svc: V1Service,
  existing: V1EndpointSlice[],
  groups: Map<string, EndpointGroup>,
  now: Date,
  maxPerSlice = MAX_ENDPOINTS_PER_SLICE,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] }
  const content = new Map<V1EndpointSlice, { ports: ResolvedPort[]; endpoints: V1Endpoint[] }>()
  const toCreate: { ports: ResolvedPort[]; endpoints: V1Endpoint[] }[] = []
  const spare: V1EndpointSlice[] = []
  const total = [...groups.values()].reduce((n, g) => n + g.endpoints.length, 0)
  if (total === 0) {
    // No endpoints: exactly one empty placeholder slice, as upstream keeps.
    const keep = existing.find((s) => (s.endpoints ?? []).length === 0) ?? existing[0]
    if (keep) content.set(keep, { ports: [], endpoints: [] })
    else toCreate.push({ ports: [], endpoints: [] })
    spare.push(...existing.filter((s) => s !== keep))
  } else {
    const byKey = new Map<string, V1EndpointSlice[]>()
    for (const s of existing) {
      const k = portSetKey(slicePorts(s))
      if (!groups.has(k) || (s.endpoints ?? []).length === 0) spare.push(s)
      else byKey.set(k, [...(byKey.get(k) ?? []), s])
    }
    for (const [k, g] of groups) {
      const want = new Map(g.endpoints.map((ep) => [addressOf(ep), ep]))
      const placed = new Set<string>()
      const slices = byKey.get(k) ?? []
      for (const s of slices) {
        const kept: V1Endpoint[] = []
        for (const ep of s.endpoints ?? []) {
          const a = addressOf(ep)
          const next = want.get(a)
          if (next && !placed.has(a) && kept.length < maxPerSlice) {
            kept.push(next)
            placed.add(a)
          }
        }
        content.set(s, { ports: g.ports, endpoints: kept })
      }
      const leftover = g.endpoints.filter((ep) => !placed.has(addressOf(ep)))
      for (const s of slices) {
        const c = content.get(s)!
        while (leftover.length > 0 && c.endpoints.length < maxPerSlice) c.endpoints.push(leftover.shift()!)
      }
      for (let i = 0; i < leftover.length; i += maxPerSlice) {
        toCreate.push({ ports: g.ports, endpoints: leftover.slice(i, i + maxPerSlice) })
      }
      for (const s of slices) {
        if (content.get(s)!.endpoints.length === 0) {
          content.delete(s)
          spare.push(s)
        }
      }
    }
  }
  // Reuse slices that would be deleted for slices that would be created (an update instead of churn).
  for (const c of toCreate) {
    const reuse = spare.shift()
    if (reuse) content.set(reuse, c)
    else plan.create.push(newSlice(svc, c.ports, c.endpoints, now))
  }
  for (const [s, c] of content) {
    const next = rewrite(svc, s, c.ports, c.endpoints, now)
    if (next) plan.update.push(next)
  }
  plan.delete.push(...spare.map((s) => s.metadata?.name ?? ''))
  return plan
}
