// What every controller gets (store, shared informers, log, clock) and how it builds its work queue.
import type { V1ObjectMeta, V1OwnerReference, V1Pod, V1Service } from '@kubernetes/client-node'
import type { KubeObject, ResourceName, Store } from '../apiserver/store.ts'
import { CONTROLLER_INDEX, NAMESPACE_INDEX, type InformerSet } from './informer.ts'
import { as, hasCode, ownerRefTo, toKube } from './objects.ts'
import type { EventRecorder } from './event-recorder.ts'
import type { ClaimPlan } from './claims.ts'
import { objectKey } from '../../../../kube/object-key.ts'
import { selectsPod } from './service-pods.ts'
import { WorkQueue, type ReconcileResult } from './work-queue.ts'
import type { Clock } from '../../../../wait/clock.ts'

/** Shared by the controllers of one run. */
export interface ControllerContext {
  store: Store
  informers: InformerSet
  /** One line per problem, already prefixed with the controller's name by the caller. */
  log: (line: string) => void
  /** The clock's time as a Date, for timestamps. */
  now: () => Date
  /** Time for delayed keys, retries and re-lists. */
  clock: Clock
  /** Every work queue made with controllerQueue, so the run can tell when all of them are idle. */
  queues: { name: string; queue: WorkQueue }[]
}

/** A running controller. */
export interface RunningController {
  stop(): void
}

// A work queue for a controller whose failures are logged as `<name>: reconcile <key> failed: …`
// (409 conflicts are retried quietly: the next reconcile reads the newer object).
export function controllerQueue(
  name: string,
  ctx: ControllerContext,
  reconcile: (key: string) => ReconcileResult | void,
): WorkQueue {
  const queue = new WorkQueue(reconcile, {
    clock: ctx.clock,
    onError: (key, err, attempt) => {
      if (hasCode(err, 409) && attempt < 5) return
      const msg = err instanceof Error ? err.message : String(err)
      ctx.log(`${name}: reconcile ${key} failed (attempt ${attempt}): ${msg}`)
    },
  })
  ctx.queues.push({ name, queue })
  return queue
}

// The pods of a namespace, from the shared pod informer's namespace index (shared objects: do not mutate).
export function podsIn(ctx: ControllerContext, namespace: string): V1Pod[] {
  return ctx.informers
    .for('pods')
    .byIndex(NAMESPACE_INDEX, namespace)
    .map((o) => as<V1Pod>(o))
}

// Writes a claim plan: adopted objects get a controller reference to owner, released ones lose theirs. An object
// that went meanwhile is skipped; one that changed owner meanwhile is left alone.
export function applyClaims(
  store: Store,
  resource: ResourceName,
  namespace: string,
  owner: { apiVersion?: string; kind?: string; metadata?: V1ObjectMeta },
  plan: ClaimPlan,
): void {
  const uid = owner.metadata?.uid
  const rewrite = (name: string, refs: (cur: V1OwnerReference[]) => V1OwnerReference[] | undefined): void => {
    const cur = store.get(resource, namespace, name)
    const next = cur && refs(cur.metadata.ownerReferences ?? [])
    if (!cur || !next) return
    store.update(resource, { ...cur, metadata: { ...cur.metadata, ownerReferences: next } })
  }
  for (const name of plan.adopt)
    rewrite(name, (refs) => (refs.some((r) => r.controller) ? undefined : [...refs, ownerRefTo(owner)]))
  for (const name of plan.release)
    rewrite(name, (refs) => (refs.some((r) => r.uid === uid) ? refs.filter((r) => r.uid !== uid) : undefined))
}

// Creates a pod for a controller and records upstream's SuccessfulCreate event; a refusal is recorded as its
// FailedCreate Warning on the controller ("Error creating: …", what `kubectl describe` shows), then thrown so the
// reconcile is retried.
export function createPod(store: Store, owner: KubeObject, events: EventRecorder, pod: V1Pod): KubeObject {
  let created: KubeObject
  try {
    created = store.create('pods', toKube(pod))
  } catch (err) {
    events.event(owner, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`)
    throw err
  }
  events.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`)
  return created
}

// Deletes a controller's pod and records upstream's SuccessfulDelete event; a pod already gone is no error.
export function deletePod(
  store: Store,
  owner: KubeObject,
  events: EventRecorder,
  namespace: string,
  name: string,
): void {
  try {
    store.delete('pods', namespace, name)
    events.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`)
  } catch (err) {
    if (!hasCode(err, 404)) throw err
  }
}

// Objects in `namespace/name` order, as the store lists them.
export function sortedByName(objs: KubeObject[]): KubeObject[] {
  return objs.sort((a, b) => objectKey(a.metadata).localeCompare(objectKey(b.metadata)))
}

// The objects of a resource whose controller (owner reference with controller=true) has this uid, from the
// shared informer's controller index (shared objects: do not mutate).
export function controlledBy<T>(
  ctx: ControllerContext,
  resource: ResourceName,
  uid: string | undefined,
): T[] {
  if (!uid) return []
  const inf = ctx.informers.for(resource)
  inf.addIndex(CONTROLLER_INDEX)
  return inf.byIndex(CONTROLLER_INDEX, uid).map((o) => as<T>(o))
}

// Queues a Service on its own changes and on changes of every pod it selects (Endpoints and EndpointSlice controllers).
export function queueServicesAndTheirPods(ctx: ControllerContext, queue: { add(key: string): void }): void {
  const services = ctx.informers.for('services')
  const enqueueFor = (pod: KubeObject): void => {
    const p = as<V1Pod>(pod)
    const inNamespace = services.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')
    for (const s of inNamespace) if (selectsPod(as<V1Service>(s), p)) queue.add(objectKey(s.metadata))
  }
  services.addHandler({
    onAdd: (o) => queue.add(objectKey(o.metadata)),
    onUpdate: (_o, n) => queue.add(objectKey(n.metadata)),
    onDelete: (o) => queue.add(objectKey(o.metadata)),
  })
  ctx.informers.for('pods').addHandler({
    onAdd: enqueueFor,
    onUpdate: (o, n) => {
      enqueueFor(o)
      enqueueFor(n)
    },
    onDelete: enqueueFor,
  })
}
