// The Endpoints controller: the legacy v1 Endpoints object (same name as the Service) for selector Services.
import type {
  V1EndpointAddress,
  CoreV1EndpointPort as V1EndpointPort,
  V1EndpointSubset,
  V1Endpoints,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node'
import type { Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue, podsIn, queueServicesAndTheirPods } from './controller.ts'
import { as, canonicalJson, hasCode, isPodReady, toKube } from './objects.ts'
import { objectKey, splitKey } from '../../../../kube/object-key.ts'
import { apiTime } from '../../../../kube/time.ts'
import {
  compareIPv4,
  hasSelector,
  isHeadless,
  portSetKey,
  podIPv4,
  resolvePorts,
  selectsPod,
  serviceDerivedLabels,
  shouldPodBeInEndpoints,
  TRIGGER_TIME_ANNOTATION,
} from './service-pods.ts'

// The subsets upstream's endpoints controller writes: one per resolved port set, ready and not-ready addresses
// apart, terminating pods left out unless publishNotReadyAddresses.
export function endpointSubsets(svc: V1Service, pods: V1Pod[]): V1EndpointSubset[] {
  const publish = svc.spec?.publishNotReadyAddresses === true
  const subsets = new Map<
    string,
    { ports: V1EndpointPort[]; ready: V1EndpointAddress[]; notReady: V1EndpointAddress[] }
  >()
  const seen = new Set<string>()
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publish)) continue
    const ip = podIPv4(pod)!
    if (seen.has(ip)) continue
    seen.add(ip)
    const resolved = resolvePorts(svc, pod)
    if (resolved.length === 0 && !(isHeadless(svc) && (svc.spec?.ports ?? []).length === 0)) continue
    const key = portSetKey(resolved)
    let s = subsets.get(key)
    if (!s) {
      const ports = resolved
        .map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: p.port,
          protocol: p.protocol,
          ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
        }))
        .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port)
      subsets.set(key, (s = { ports, ready: [], notReady: [] }))
    }
    const addr: V1EndpointAddress = { ip }
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) addr.hostname = pod.spec.hostname
    if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName
    addr.targetRef = {
      kind: 'Pod',
      namespace: pod.metadata?.namespace,
      name: pod.metadata?.name,
      uid: pod.metadata?.uid,
    }
    ;(publish || isPodReady(pod) ? s.ready : s.notReady).push(addr)
  }
  const byIp = (a: V1EndpointAddress, b: V1EndpointAddress): number => compareIPv4(a.ip, b.ip)
  return [...subsets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, s]) => ({
      ...(s.ready.length ? { addresses: s.ready.sort(byIp) } : {}),
      ...(s.notReady.length ? { notReadyAddresses: s.notReady.sort(byIp) } : {}),
      ...(s.ports.length ? { ports: s.ports } : {}),
    }))
}

// The most addresses an Endpoints object holds (upstream's maxCapacity); EndpointSlices have no such limit.
export const MAX_ENDPOINTS_CAPACITY = 1000
// The annotation that says an Endpoints object was truncated to MAX_ENDPOINTS_CAPACITY.
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity'

// Truncates subsets to `max` addresses as upstream's truncateEndpoints does: not-ready addresses go first; when the
// ready ones alone are too many, every not-ready address goes and each subset keeps its share of ready ones.
export function truncateSubsets(
  subsets: V1EndpointSubset[],
  max = MAX_ENDPOINTS_CAPACITY,
): { subsets: V1EndpointSubset[]; truncated: boolean } {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0)
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0)
  if (ready + notReady <= max) return { subsets, truncated: false }
  const truncateReady = ready > max
  const room = truncateReady ? max : max - ready
  const total = truncateReady ? ready : notReady
  let canBeAdded = room
  const out = subsets.map((s) => {
    const inSubset = (truncateReady ? s.addresses : s.notReadyAddresses)?.length ?? 0
    const take = Math.min(canBeAdded, Math.ceil((inSubset / total) * room))
    canBeAdded -= take
    const { addresses, notReadyAddresses: _dropped, ...rest } = s
    if (truncateReady) return { ...rest, ...(take > 0 ? { addresses: addresses!.slice(0, take) } : {}) }
    const kept = s.notReadyAddresses?.slice(0, take) ?? []
    return {
      ...rest,
      ...(addresses ? { addresses } : {}),
      ...(kept.length ? { notReadyAddresses: kept } : {}),
    }
  })
  return { subsets: out, truncated: true }
}

// Syncs one Service's Endpoints: creates, updates or (when the Service is gone) deletes it.
export function syncEndpoints(
  store: Store,
  key: string,
  now: Date,
  podsIn: (namespace: string) => V1Pod[],
): void {
  const { namespace, name } = splitKey(key)
  const obj = store.get('services', namespace, name)
  const current = store.get('endpoints', namespace, name)
  if (!obj) {
    if (current) {
      try {
        store.delete('endpoints', namespace, name)
      } catch (err) {
        if (!hasCode(err, 404)) throw err
      }
    }
    return
  }
  const svc = as<V1Service>(obj)
  if (!hasSelector(svc) || obj.metadata.deletionTimestamp) return
  if (!current && store.get('namespaces', undefined, namespace)?.metadata.deletionTimestamp) return
  const pods = podsIn(namespace).filter((p) => selectsPod(svc, p))
  const { subsets, truncated } = truncateSubsets(endpointSubsets(svc, pods))
  const labels = serviceDerivedLabels(svc)
  const capacity: Record<string, string> = truncated ? { [OVER_CAPACITY_ANNOTATION]: 'truncated' } : {}
  if (!current) {
    const ep: V1Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name,
        namespace,
        labels,
        annotations: { [TRIGGER_TIME_ANNOTATION]: apiTime(now) as unknown as string, ...capacity },
      },
      subsets,
    }
    store.create('endpoints', toKube(ep))
    return
  }
  const cur = as<V1Endpoints>(current)
  const subsetsChanged = canonicalJson(cur.subsets ?? []) !== canonicalJson(subsets)
  const wasTruncated = cur.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined
  if (
    !subsetsChanged &&
    wasTruncated === truncated &&
    canonicalJson(cur.metadata?.labels ?? {}) === canonicalJson(labels)
  )
    return
  const { [OVER_CAPACITY_ANNOTATION]: _over, ...others } = cur.metadata?.annotations ?? {}
  const annotations: Record<string, string> = { ...others, ...capacity }
  if (subsetsChanged) annotations[TRIGGER_TIME_ANNOTATION] = apiTime(now) as unknown as string
  store.update('endpoints', toKube({ ...cur, metadata: { ...cur.metadata, labels, annotations }, subsets }))
}

// Starts the Endpoints controller: Services, re-synced when their pods change.
export function startEndpointsController(ctx: ControllerContext): RunningController {
  const queue = controllerQueue('endpoints', ctx, (key) =>
    syncEndpoints(ctx.store, key, ctx.now(), (ns) => podsIn(ctx, ns)),
  )
  queueServicesAndTheirPods(ctx, queue)
  ctx.informers.for('endpoints').addHandler({ onDelete: (o) => queue.add(objectKey(o.metadata)) })
  return { stop: () => queue.stop() }
}
