// The EndpointSlice controller: keeps the slices of every selector Service in step with its pods.
import type { V1EndpointSlice, V1Node, V1Pod, V1Service } from '@kubernetes/client-node'
import type { KubeObject, Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue, podsIn, queueServicesAndTheirPods } from './controller.ts'
import { endpointGroups, planSlices, ZONE_LABEL } from './endpointslice-plan.ts'
import { as, hasCode, toKube } from './objects.ts'
import { namespacedName, splitKey } from '../../../../kube/object-key.ts'
import { hasSelector, MANAGED_BY, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, selectsPod } from './service-pods.ts'

// The index of EndpointSlices by `namespace/<kubernetes.io/service-name label>`.
export const SLICE_SERVICE_INDEX = 'endpointslice-service'
// The index of EndpointSlices by the nodeName of their endpoints.
export const SLICE_NODE_INDEX = 'endpointslice-node'

/** Where a slice sync reads pods and the Service's slices from (the shared informers). */
export interface SliceSources {
  pods: (namespace: string) => V1Pod[]
  slices: (namespace: string, service: string) => V1EndpointSlice[]
}

// Every EndpointSlice labelled with a Service's name, from the shared informer's Service-name index.
export function slicesOfService(
  ctx: ControllerContext,
): (namespace: string, service: string) => V1EndpointSlice[] {
  const slices = ctx.informers.for('endpointslices')
  slices.addIndex(SLICE_SERVICE_INDEX, (o) => {
    const svc = o.metadata.labels?.[SERVICE_NAME_LABEL]
    return svc === undefined ? [] : [namespacedName(o.metadata.namespace ?? '', svc)]
  })
  return (ns, svc) =>
    slices.byIndex(SLICE_SERVICE_INDEX, namespacedName(ns, svc)).map((o) => as<V1EndpointSlice>(o))
}

// The slices this controller manages among a Service's slices.
export function managedSlices(slices: V1EndpointSlice[]): V1EndpointSlice[] {
  return slices.filter((s) => s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY)
}

// Syncs the slices of one Service: creates, updates in place and deletes as planned.
export function syncEndpointSlices(store: Store, key: string, now: Date, from: SliceSources): void {
  const { namespace, name } = splitKey(key)
  const obj = store.get('services', namespace, name)
  const svc = obj && !obj.metadata.deletionTimestamp ? as<V1Service>(obj) : undefined
  const existing = managedSlices(from.slices(namespace, name))
  const del = (slice: string): void => {
    try {
      store.delete('endpointslices', namespace, slice)
    } catch (err) {
      if (!hasCode(err, 404)) throw err
    }
  }
  if (!svc || !hasSelector(svc)) {
    for (const s of existing) del(s.metadata?.name ?? '')
    return
  }
  const mine = existing.filter(
    (s) => s.metadata?.ownerReferences?.some((r) => r.uid === svc.metadata?.uid) ?? false,
  )
  for (const s of existing) if (!mine.includes(s)) del(s.metadata?.name ?? '')
  const pods = from.pods(namespace).filter((p) => selectsPod(svc, p))
  const zones = new Map<string, string | undefined>()
  const zoneOf = (node: string): string | undefined => {
    if (!zones.has(node)) {
      const n = store.get('nodes', undefined, node)
      zones.set(node, n ? as<V1Node>(n).metadata?.labels?.[ZONE_LABEL] : undefined)
    }
    return zones.get(node)
  }
  const plan = planSlices(svc, mine, endpointGroups(svc, pods, zoneOf), now)
  for (const s of plan.update) store.update('endpointslices', toKube(s))
  // A terminating namespace takes no new objects (the API server answers 403); updates and deletes still go.
  const terminating = store.get('namespaces', undefined, namespace)?.metadata.deletionTimestamp !== undefined
  if (!terminating) for (const s of plan.create) store.create('endpointslices', toKube(s))
  for (const n of plan.delete) del(n)
}

// Starts the EndpointSlice controller: Services, re-synced when their pods or managed slices change.
export function startEndpointSliceController(ctx: ControllerContext): RunningController {
  const slices = ctx.informers.for('endpointslices')
  const from: SliceSources = { pods: (ns) => podsIn(ctx, ns), slices: slicesOfService(ctx) }
  const queue = controllerQueue('endpointslice', ctx, (key) =>
    syncEndpointSlices(ctx.store, key, ctx.now(), from),
  )
  queueServicesAndTheirPods(ctx, queue)
  const enqueueSlice = (o: KubeObject): void => {
    const svc = o.metadata.labels?.[SERVICE_NAME_LABEL]
    if (svc && o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY)
      queue.add(`${o.metadata.namespace ?? ''}/${svc}`)
  }
  slices.addHandler({ onUpdate: (_o, n) => enqueueSlice(n), onDelete: enqueueSlice })
  // A node's zone is copied into its endpoints: when it changes, the slices with endpoints there are re-synced.
  slices.addIndex(SLICE_NODE_INDEX, (o) => [
    ...new Set(as<V1EndpointSlice>(o).endpoints?.flatMap((e) => (e.nodeName ? [e.nodeName] : [])) ?? []),
  ])
  ctx.informers.for('nodes').addHandler({
    onUpdate: (o, n) => {
      if (o.metadata.labels?.[ZONE_LABEL] === n.metadata.labels?.[ZONE_LABEL]) return
      for (const s of slices.byIndex(SLICE_NODE_INDEX, n.metadata.name ?? '')) enqueueSlice(s)
    },
  })
  return { stop: () => queue.stop() }
}
