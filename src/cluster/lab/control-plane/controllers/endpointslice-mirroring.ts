// The EndpointSlice mirroring controller: keeps the mirrored slices of hand-written Endpoints (Services without a
// selector) in step with them, and deletes them when mirroring no longer applies.
import type { V1EndpointSlice, V1Endpoints, V1Service } from '@kubernetes/client-node'
import type { KubeObject, Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue } from './controller.ts'
import { slicesOfService } from './endpointslice.ts'
import { MIRRORING_MANAGED_BY, planMirror, shouldMirror } from './endpointslice-mirroring-plan.ts'
import { as, hasCode, toKube } from './objects.ts'
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './service-pods.ts'
import { namespacedName, objectKey, splitKey } from '../../../../kube/object-key.ts'

// The slices this controller mirrored: managed-by mirroring and owned by an Endpoints object (the API server's own
// `kubernetes` slice carries no such owner and is left to the bootstrap controller).
export function mirroredSlices(slices: V1EndpointSlice[]): V1EndpointSlice[] {
  return slices.filter(
    (s) =>
      s.metadata?.labels?.[MANAGED_BY_LABEL] === MIRRORING_MANAGED_BY &&
      (s.metadata.ownerReferences ?? []).some((r) => r.kind === 'Endpoints' && r.controller),
  )
}

// Syncs the mirrored slices of one Endpoints object (`namespace/name`, the Service's name).
export function syncMirror(
  store: Store,
  key: string,
  slicesOf: (namespace: string, service: string) => V1EndpointSlice[],
): void {
  const { namespace, name } = splitKey(key)
  const ep = store.get('endpoints', namespace, name)
  const svc = store.get('services', namespace, name)
  const existing = mirroredSlices(slicesOf(namespace, name))
  const del = (slice: string): void => {
    try {
      store.delete('endpointslices', namespace, slice)
    } catch (err) {
      if (!hasCode(err, 404)) throw err
    }
  }
  const endpoints = ep && !ep.metadata.deletionTimestamp ? as<V1Endpoints>(ep) : undefined
  const service = svc && !svc.metadata.deletionTimestamp ? as<V1Service>(svc) : undefined
  if (!endpoints || !shouldMirror(endpoints, service)) {
    for (const s of existing) del(s.metadata?.name ?? '')
    return
  }
  const plan = planMirror(endpoints, existing)
  for (const s of plan.update) store.update('endpointslices', toKube(s))
  const terminating = store.get('namespaces', undefined, namespace)?.metadata.deletionTimestamp !== undefined
  if (!terminating) for (const s of plan.create) store.create('endpointslices', toKube(s))
  for (const n of plan.delete) del(n)
}

// Starts the mirroring controller: Endpoints and Services by name, and the slices it mirrored.
export function startEndpointSliceMirroringController(ctx: ControllerContext): RunningController {
  const slicesOf = slicesOfService(ctx)
  const queue = controllerQueue('endpointslice-mirroring', ctx, (key) => syncMirror(ctx.store, key, slicesOf))
  const byName = (o: KubeObject): void => queue.add(objectKey(o.metadata))
  for (const resource of ['endpoints', 'services'] as const)
    ctx.informers
      .for(resource)
      .addHandler({ onAdd: byName, onUpdate: (_o, n) => byName(n), onDelete: byName })
  const bySlice = (o: KubeObject): void => {
    const svc = o.metadata.labels?.[SERVICE_NAME_LABEL]
    if (svc && o.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_MANAGED_BY)
      queue.add(namespacedName(o.metadata.namespace ?? '', svc))
  }
  ctx.informers.for('endpointslices').addHandler({ onUpdate: (_o, n) => bySlice(n), onDelete: bySlice })
  return { stop: () => queue.stop() }
}
