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
  const subsets = endpointSubsets(svc, pods)
  const labels = serviceDerivedLabels(svc)
  if (!current) {
    const ep: V1Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name,
        namespace,
        labels,
        annotations: { [TRIGGER_TIME_ANNOTATION]: apiTime(now) as unknown as string },
      },
      subsets,
    }
    store.create('endpoints', toKube(ep))
    return
  }
  const cur = as<V1Endpoints>(current)
  const subsetsChanged = canonicalJson(cur.subsets ?? []) !== canonicalJson(subsets)
  if (!subsetsChanged && canonicalJson(cur.metadata?.labels ?? {}) === canonicalJson(labels)) return
  const annotations = { ...cur.metadata?.annotations }
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
