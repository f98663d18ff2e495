// The garbage collector: deletes objects whose owners (metadata.ownerReferences) are all gone, and drops
// references to owners that are gone while others remain (background propagation), one dependent at a time.
import type { V1OwnerReference } from '@kubernetes/client-node'
import type { KubeObject, ResourceName, Store } from '../apiserver/store.ts'
import { RESOURCES } from '../apiserver/resources.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue } from './controller.ts'
import { NAMESPACED_RESOURCES } from './namespace.ts'
import { OWNER_INDEX } from './informer.ts'
import { canonicalJson, hasCode } from './objects.ts'
import { objectKey, splitKey } from '../../../../kube/object-key.ts'

const RESOURCE_BY_KIND = new Map<string, ResourceName>(
  (Object.keys(RESOURCES) as ResourceName[]).map((r) => [
    `${RESOURCES[r].apiVersion}/${RESOURCES[r].kind}`,
    r,
  ]),
)

/** What to do with one dependent. */
export type GcAction = { op: 'keep' } | { op: 'delete' } | { op: 'trim'; ownerReferences: V1OwnerReference[] }

// Decides a dependent's fate from which of its owners still exist (owners of unknown kinds count as present).
export function gcAction(obj: KubeObject, ownerExists: (ref: V1OwnerReference) => boolean): GcAction {
  const refs = obj.metadata.ownerReferences ?? []
  if (refs.length === 0) return { op: 'keep' }
  const alive = refs.filter(ownerExists)
  if (alive.length === refs.length) return { op: 'keep' }
  if (alive.length === 0) return { op: 'delete' }
  return { op: 'trim', ownerReferences: alive }
}

// Whether the owner a reference names exists with the referenced uid (unknown kinds: assumed to exist).
export function ownerExists(store: Store, namespace: string | undefined, ref: V1OwnerReference): boolean {
  const resource = RESOURCE_BY_KIND.get(`${ref.apiVersion}/${ref.kind}`)
  if (!resource) return true
  const ns = RESOURCES[resource].namespaced ? namespace : undefined
  return store.get(resource, ns, ref.name)?.metadata.uid === ref.uid
}

/** One dependent the collector looks at: its resource and `namespace/name` key. */
export interface DependentRef {
  resource: ResourceName
  key: string
}

// The work-queue key of a dependent: `<resource>:<namespace>/<name>`.
export function dependentKey(d: DependentRef): string {
  return `${d.resource}:${d.key}`
}

// The dependent a work-queue key names.
export function parseDependentKey(key: string): DependentRef {
  const i = key.indexOf(':')
  return { resource: key.slice(0, i) as ResourceName, key: key.slice(i + 1) }
}

// Deletes one dependent whose owners are all gone, or drops its references to gone owners (reading the store).
export function collectDependent(store: Store, d: DependentRef): void {
  const { namespace, name } = splitKey(d.key)
  const obj = store.get(d.resource, namespace, name)
  if (!obj?.metadata.ownerReferences?.length || obj.metadata.deletionTimestamp) return
  const action = gcAction(obj, (ref) => ownerExists(store, namespace, ref))
  try {
    if (action.op === 'delete') store.delete(d.resource, namespace, name)
    else if (action.op === 'trim')
      store.update(d.resource, {
        ...obj,
        metadata: { ...obj.metadata, ownerReferences: action.ownerReferences },
      })
  } catch (err) {
    if (!hasCode(err, 404)) throw err
  }
}

const ownerUids = (o: KubeObject): string =>
  canonicalJson((o.metadata.ownerReferences ?? []).map((r) => r.uid))

// Starts the garbage collector. Like upstream's graph builder it looks only at what an event touches: an object
// that arrives (or whose owner references change) is checked for gone owners, and an object that goes has its
// dependents — found through the informers' owner-uid index, not by listing the namespace — checked.
export function startGarbageCollector(ctx: ControllerContext): RunningController {
  const queue = controllerQueue('garbage-collector', ctx, (key) =>
    collectDependent(ctx.store, parseDependentKey(key)),
  )
  const check = (resource: ResourceName, o: KubeObject): void => {
    if (o.metadata.ownerReferences?.length) queue.add(dependentKey({ resource, key: objectKey(o.metadata) }))
  }
  for (const resource of NAMESPACED_RESOURCES) ctx.informers.for(resource).addIndex(OWNER_INDEX)
  const checkDependentsOf = (owner: KubeObject): void => {
    const uid = owner.metadata.uid
    if (!uid) return
    for (const resource of NAMESPACED_RESOURCES)
      for (const d of ctx.informers.for(resource).byIndex(OWNER_INDEX, uid)) check(resource, d)
  }
  for (const resource of Object.keys(RESOURCES) as ResourceName[]) {
    const namespaced = RESOURCES[resource].namespaced
    ctx.informers.for(resource).addHandler({
      onAdd: (o) => {
        if (namespaced) check(resource, o)
      },
      onUpdate: (old, o) => {
        if (namespaced && ownerUids(old) !== ownerUids(o)) check(resource, o)
      },
      onDelete: checkDependentsOf,
    })
  }
  return { stop: () => queue.stop() }
}
