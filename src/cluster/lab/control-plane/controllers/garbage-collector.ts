// The garbage collector: deletes objects whose owners (metadata.ownerReferences) are all gone, and drops
// references to owners that are gone while others remain (background propagation).
import type { V1OwnerReference } from '@kubernetes/client-node'
import type { KubeObject, ResourceName, Store } from '../apiserver/store.ts'
import { RESOURCES } from '../apiserver/resources.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue } from './controller.ts'
import { NAMESPACED_RESOURCES } from './namespace.ts'
import { hasCode } from './objects.ts'

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

// Collects the dependents of gone owners in one namespace.
export function collectGarbage(store: Store, namespace: string): void {
  for (const resource of NAMESPACED_RESOURCES) {
    for (const obj of store.list(resource, { namespace }).items) {
      if (!obj.metadata.ownerReferences?.length || obj.metadata.deletionTimestamp) continue
      const action = gcAction(obj, (ref) => ownerExists(store, namespace, ref))
      try {
        if (action.op === 'delete') store.delete(resource, namespace, obj.metadata.name ?? '')
        else if (action.op === 'trim')
          store.update(resource, {
            ...obj,
            metadata: { ...obj.metadata, ownerReferences: action.ownerReferences },
          })
      } catch (err) {
        if (!hasCode(err, 404)) throw err
      }
    }
  }
}

// Starts the garbage collector: a namespace is scanned when an object in it goes or arrives with owners.
export function startGarbageCollector(ctx: ControllerContext): RunningController {
  const queue = controllerQueue('garbage-collector', ctx, (ns) => collectGarbage(ctx.store, ns))
  for (const resource of NAMESPACED_RESOURCES) {
    ctx.informers.for(resource).addHandler({
      onAdd: (o) => {
        if (o.metadata.ownerReferences?.length) queue.add(o.metadata.namespace ?? '')
      },
      onDelete: (o) => queue.add(o.metadata.namespace ?? ''),
    })
  }
  return { stop: () => queue.stop() }
}
