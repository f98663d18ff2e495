// Pure EndpointSlice mirroring (upstream endpointslicemirroring controller): the Endpoints of a Service without a
// selector — written by hand, e.g. for a database outside the cluster — are copied into EndpointSlices, so
// kube-proxy and DNS, which read only slices, see them.
import type {
  CoreV1EndpointPort,
  V1Endpoint,
  V1EndpointAddress,
  V1EndpointSlice,
  V1Endpoints,
  V1Service,
} from '@kubernetes/client-node'
import { canonicalJson, ownerRefTo } from './objects.ts'
import {
  compareIPv4,
  hasSelector,
  MANAGED_BY_LABEL,
  portSetKey,
  SERVICE_NAME_LABEL,
  type ResolvedPort,
} from './service-pods.ts'

// The managed-by value of mirrored slices.
export const MIRRORING_MANAGED_BY = 'endpointslicemirroring-controller.k8s.io'
// The Endpoints label that turns mirroring off for it.
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror'
// Upstream's --mirroring-max-endpoints-per-subset: addresses of a subset beyond it are not mirrored.
export const MAX_MIRRORED_PER_SUBSET = 1000

const NOT_COPIED_ANNOTATIONS = [
  'endpoints.kubernetes.io/last-change-trigger-time',
  'kubectl.kubernetes.io/last-applied-configuration',
]

// Whether an Endpoints object is mirrored: its Service exists without a selector, and it is not labelled
// skip-mirror=true.
export function shouldMirror(ep: V1Endpoints, svc: V1Service | undefined): boolean {
  return svc !== undefined && !hasSelector(svc) && ep.metadata?.labels?.[SKIP_MIRROR_LABEL] !== 'true'
}

/** The slices the Endpoints want, one per port set: ports and endpoints. */
export interface MirrorGroup {
  ports: ResolvedPort[]
  endpoints: V1Endpoint[]
}

const toPorts = (ports: CoreV1EndpointPort[] | undefined): ResolvedPort[] =>
  (ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: p.port,
    protocol: p.protocol ?? 'TCP',
    ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
  }))

// An endpoint for an Endpoints address (upstream addressToEndpoint: only `ready` among the conditions).
function toEndpoint(a: V1EndpointAddress, ready: boolean): V1Endpoint {
  return {
    addresses: [a.ip],
    conditions: { ready },
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    ...(a.targetRef ? { targetRef: a.targetRef } : {}),
  }
}

// Groups the Endpoints' IPv4 addresses by port set (subsets with the same ports share a slice; an address listed
// twice is mirrored once, ready if any listing is), at most MAX_MIRRORED_PER_SUBSET per subset.
export function mirrorGroups(ep: V1Endpoints): Map<string, MirrorGroup> {
  const groups = new Map<string, MirrorGroup>()
  for (const subset of ep.subsets ?? []) {
    const ports = toPorts(subset.ports)
    const key = portSetKey(ports)
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { ports, endpoints: [] }))
    const listed = [
      ...(subset.addresses ?? []).map((a) => toEndpoint(a, true)),
      ...(subset.notReadyAddresses ?? []).map((a) => toEndpoint(a, false)),
    ]
      .filter((e) => !e.addresses[0]!.includes(':'))
      .slice(0, MAX_MIRRORED_PER_SUBSET)
    for (const e of listed) {
      const same = g.endpoints.findIndex((x) => x.addresses[0] === e.addresses[0])
      if (same < 0) g.endpoints.push(e)
      else if (e.conditions?.ready) g.endpoints[same] = e
    }
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => compareIPv4(a.addresses[0]!, b.addresses[0]!))
  return groups
}

/** The writes one mirroring sync makes; updates carry the full slice. */
export interface MirrorPlan {
  create: V1EndpointSlice[]
  update: V1EndpointSlice[]
  delete: string[]
}

// Labels and annotations of a mirrored slice: the Endpoints' own (minus reserved ones) plus service-name and
// managed-by.
function sliceMeta(ep: V1Endpoints): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {}
  for (const [k, v] of Object.entries(ep.metadata?.labels ?? {}))
    if (k !== MANAGED_BY_LABEL && k !== SERVICE_NAME_LABEL) labels[k] = v
  labels[SERVICE_NAME_LABEL] = ep.metadata?.name ?? ''
  labels[MANAGED_BY_LABEL] = MIRRORING_MANAGED_BY
  const annotations: Record<string, string> = {}
  for (const [k, v] of Object.entries(ep.metadata?.annotations ?? {}))
    if (!NOT_COPIED_ANNOTATIONS.includes(k)) annotations[k] = v
  return { labels, annotations }
}

const slicePortKey = (s: V1EndpointSlice): string =>
  portSetKey(toPorts(s.ports as CoreV1EndpointPort[] | undefined))

// Plans the mirrored slices of an Endpoints object from the ones that exist (owned by it): a slice per port set,
// updated in place when its port set is still wanted, reused for another port set, created, or deleted.
export function planMirror(ep: V1Endpoints, existing: V1EndpointSlice[]): MirrorPlan {
  const plan: MirrorPlan = { create: [], update: [], delete: [] }
  const groups = mirrorGroups(ep)
  const { labels, annotations } = sliceMeta(ep)
  const owner = ownerRefTo({ apiVersion: 'v1', kind: 'Endpoints', metadata: ep.metadata })
  const want = (g: MirrorGroup): Pick<V1EndpointSlice, 'addressType' | 'ports' | 'endpoints'> => ({
    addressType: 'IPv4',
    ports: g.ports,
    endpoints: g.endpoints,
  })
  const byKey = new Map<string, V1EndpointSlice>()
  for (const s of existing) if (!byKey.has(slicePortKey(s))) byKey.set(slicePortKey(s), s)
  // Slices whose port set is not wanted (or a second one for the same set) are reused, then deleted.
  const spare = existing.filter((s) => !groups.has(slicePortKey(s)) || byKey.get(slicePortKey(s)) !== s)
  const meta = (s: V1EndpointSlice): string =>
    canonicalJson([s.metadata?.labels, s.metadata?.annotations ?? {}, s.metadata?.ownerReferences])
  for (const [key, g] of groups) {
    const cur = byKey.get(key) ?? spare.shift()
    if (!cur) {
      plan.create.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${ep.metadata?.name ?? ''}-`,
          namespace: ep.metadata?.namespace,
          labels,
          annotations,
          ownerReferences: [owner],
        },
        ...want(g),
      })
      continue
    }
    const next: V1EndpointSlice = {
      ...cur,
      metadata: { ...cur.metadata, labels, annotations, ownerReferences: [owner] },
      ...want(g),
    }
    const same =
      canonicalJson([cur.addressType, cur.ports, cur.endpoints]) ===
        canonicalJson([next.addressType, next.ports, next.endpoints]) && meta(cur) === meta(next)
    if (!same) plan.update.push(next)
  }
  plan.delete.push(...spare.map((s) => s.metadata?.name ?? ''))
  return plan
}
