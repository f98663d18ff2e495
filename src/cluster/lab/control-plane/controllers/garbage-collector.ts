// The garbage collector: deletes objects whose owners (metadata.ownerReferences) are all gone, drops references
// to owners that are gone while others remain (background propagation), and finishes foreground deletions (an
// owner marked with the foregroundDeletion finalizer goes once the dependents that block it are gone).
import type { V1OwnerReference } from '@kubernetes/client-node'
import { FOREGROUND_FINALIZER } from '../apiserver/memory-store.ts'
import type { KubeObject, ResourceName, Store } from '../apiserver/store.ts'
import { RESOURCES } from '../apiserver/resources.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue } from './controller.ts'
import { NAMESPACED_RESOURCES } from './namespace.ts'
import { OWNER_INDEX } from './informer.ts'
import { canonicalJson, hasCode } from './objects.ts'
import { namespacedName, objectKey, splitKey } from '../../../../kube/object-key.ts'

const RESOURCE_BY_KIND = new Map<string, ResourceName>(
  (Object.keys(RESOURCES) as ResourceName[]).map((r) => [
    `${RESOURCES[r].apiVersion}/${RESOURCES[r].kind}`,
    r,
  ]),
)

/** An owner as the collector sees it: there, gone, or being deleted in the foreground (waiting for dependents). */
export type OwnerState = 'present' | 'gone' | 'deleting'

/** What to do with one dependent. */
export type GcAction =
  { op: 'keep' } | { op: 'delete'; foreground: boolean } | { op: 'trim'; ownerReferences: V1OwnerReference[] }

// Decides a dependent's fate from its owners' states (upstream attemptToDeleteItem): with every owner present it
// stays; with some present it loses the references to the others; with none it is deleted — in the foreground when
// an owner waits for its dependents and this one has dependents of its own, so the wait reaches down the chain.
export function gcAction(
  obj: KubeObject,
  ownerState: (ref: V1OwnerReference) => OwnerState,
  hasDependents = false,
): GcAction {
  const refs = obj.metadata.ownerReferences ?? []
  if (refs.length === 0) return { op: 'keep' }
  const states = refs.map(ownerState)
  const solid = refs.filter((_, i) => states[i] === 'present')
  if (solid.length === refs.length) return { op: 'keep' }
  if (solid.length > 0) return { op: 'trim', ownerReferences: solid }
  return { op: 'delete', foreground: hasDependents && states.includes('deleting') }
}

// Whether an object is being deleted in the foreground: marked, with the foregroundDeletion finalizer.
export function isDeletingDependents(obj: KubeObject): boolean {
  return (
    obj.metadata.deletionTimestamp !== undefined && !!obj.metadata.finalizers?.includes(FOREGROUND_FINALIZER)
  )
}

// The state of the owner a reference names (unknown kinds: assumed present; another uid: gone).
export function ownerState(store: Store, namespace: string | undefined, ref: V1OwnerReference): OwnerState {
  const resource = RESOURCE_BY_KIND.get(`${ref.apiVersion}/${ref.kind}`)
  if (!resource) return 'present'
  const ns = RESOURCES[resource].namespaced ? namespace : undefined
  const owner = store.get(resource, ns, ref.name)
  if (owner?.metadata.uid !== ref.uid) return 'gone'
  return isDeletingDependents(owner) ? 'deleting' : 'present'
}

/** One object the collector looks at: its resource and `namespace/name` key. */
export interface DependentRef {
  resource: ResourceName
  key: string
}

// The work-queue key of an object to check as a dependent (`dependent <resource> <ns/name>`) or, for an owner
// deleted in the foreground, to finish (`owner <resource> <ns/name>`).
export function gcKey(kind: 'dependent' | 'owner', d: DependentRef): string {
  return `${kind} ${d.resource} ${d.key}`
}

// The role and object a work-queue key names.
export function parseGcKey(key: string): { kind: 'dependent' | 'owner' } & DependentRef {
  const [kind, resource, k] = key.split(' ')
  return { kind: kind === 'owner' ? 'owner' : 'dependent', resource: resource as ResourceName, key: k ?? '' }
}

// Deletes one dependent whose owners are all gone (or waiting for their dependents), or drops its references to
// such owners while others remain (reading the store).
export function collectDependent(
  store: Store,
  d: DependentRef,
  hasDependents: (uid: string) => boolean,
): void {
  const { namespace, name } = splitKey(d.key)
  const obj = store.get(d.resource, namespace, name)
  if (!obj?.metadata.ownerReferences?.length || obj.metadata.deletionTimestamp) return
  const action = gcAction(
    obj,
    (ref) => ownerState(store, namespace, ref),
    hasDependents(obj.metadata.uid ?? ''),
  )
  try {
    if (action.op === 'delete')
      store.delete(d.resource, namespace, name, action.foreground ? { propagationPolicy: 'Foreground' } : {})
    else if (action.op === 'trim')
      store.update(d.resource, {
        ...obj,
        metadata: { ...obj.metadata, ownerReferences: action.ownerReferences },
      })
  } catch (err) {
    if (!hasCode(err, 404)) throw err
  }
}

// The dependents that block an owner's foreground deletion: those whose reference to it has blockOwnerDeletion.
export function blockingDependents(uid: string, dependents: KubeObject[]): KubeObject[] {
  return dependents.filter((d) =>
    d.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true),
  )
}

const ownerUids = (o: KubeObject): string =>
  canonicalJson((o.metadata.ownerReferences ?? []).map((r) => r.uid))

// Starts the garbage collector. Like upstream's graph builder it looks only at what an event touches: an object
// that arrives (or whose owner references change) is checked for gone owners, and an object that goes (or starts
// a foreground deletion) has its dependents — found through the informers' owner-uid index, not by listing the
// namespace — checked. An owner deleted in the foreground is finished when a dependent of it goes.
export function startGarbageCollector(ctx: ControllerContext): RunningController {
  for (const resource of NAMESPACED_RESOURCES) ctx.informers.for(resource).addIndex(OWNER_INDEX)
  const dependentsOf = (uid: string): { resource: ResourceName; obj: KubeObject }[] =>
    NAMESPACED_RESOURCES.flatMap((resource) =>
      ctx.informers
        .for(resource)
        .byIndex(OWNER_INDEX, uid)
        .map((obj) => ({ resource, obj })),
    )
  const check = (resource: ResourceName, o: KubeObject): void => {
    if (o.metadata.ownerReferences?.length)
      queue.add(gcKey('dependent', { resource, key: objectKey(o.metadata) }))
  }
  const checkDependentsOf = (owner: KubeObject): void => {
    if (owner.metadata.uid) for (const d of dependentsOf(owner.metadata.uid)) check(d.resource, d.obj)
  }
  // The owners a dependent names may be waiting for it: look at them again.
  const finishOwnersOf = (dependent: KubeObject, refs = dependent.metadata.ownerReferences ?? []): void => {
    for (const ref of refs) {
      const resource = RESOURCE_BY_KIND.get(`${ref.apiVersion}/${ref.kind}`)
      if (!resource) continue
      const ns = RESOURCES[resource].namespaced ? (dependent.metadata.namespace ?? '') : ''
      queue.add(gcKey('owner', { resource, key: namespacedName(ns, ref.name) }))
    }
  }
  const finishForeground = (d: DependentRef): void => {
    const { namespace, name } = splitKey(d.key)
    const owner = ctx.store.get(d.resource, namespace || undefined, name)
    if (!owner || !isDeletingDependents(owner)) return
    const uid = owner.metadata.uid ?? ''
    const deps = dependentsOf(uid)
    const blocking = blockingDependents(
      uid,
      deps.map((x) => x.obj),
    )
    if (blocking.length > 0) {
      for (const x of deps)
        if (blocking.includes(x.obj) && !isDeletingDependents(x.obj)) check(x.resource, x.obj)
      return
    }
    const finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND_FINALIZER)
    ctx.store.update(d.resource, { ...owner, metadata: { ...owner.metadata, finalizers } })
  }
  const queue = controllerQueue('garbage-collector', ctx, (key) => {
    const k = parseGcKey(key)
    if (k.kind === 'owner') finishForeground(k)
    else collectDependent(ctx.store, k, (uid) => dependentsOf(uid).length > 0)
  })
  for (const resource of Object.keys(RESOURCES) as ResourceName[]) {
    const namespaced = RESOURCES[resource].namespaced
    const startsForeground = (o: KubeObject): void => {
      if (!isDeletingDependents(o)) return
      queue.add(gcKey('owner', { resource, key: objectKey(o.metadata) }))
      checkDependentsOf(o)
    }
    ctx.informers.for(resource).addHandler({
      onAdd: (o) => {
        if (namespaced) check(resource, o)
        startsForeground(o)
      },
      onUpdate: (old, o) => {
        if (namespaced && ownerUids(old) !== ownerUids(o)) {
          check(resource, o)
          finishOwnersOf(old)
        }
        if (!isDeletingDependents(old)) startsForeground(o)
      },
      onDelete: (o) => {
        checkDependentsOf(o)
        finishOwnersOf(o)
      },
    })
  }
  return { stop: () => queue.stop() }
}
