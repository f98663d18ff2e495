// The namespace controller: empties a terminating namespace, waits for its pods to go, then removes it.
import type { ResourceName, Store } from '../apiserver/store.ts'
import { RESOURCES } from '../apiserver/resources.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue } from './controller.ts'
import { hasCode } from './objects.ts'
import type { ReconcileResult } from './work-queue.ts'

// Every namespaced resource the store serves, pods last so their owners go first.
export const NAMESPACED_RESOURCES: ResourceName[] = (Object.keys(RESOURCES) as ResourceName[])
  .filter((r) => RESOURCES[r].namespaced)
  .sort((a, b) => Number(a === 'pods') - Number(b === 'pods'))

/** How long to wait before checking a terminating namespace again when pods are still going. */
const RECHECK_MS = 500

// Deletes what is left in a terminating namespace; removes the namespace once nothing is left.
export function reconcileNamespace(store: Store, name: string): ReconcileResult | void {
  const ns = store.get('namespaces', undefined, name)
  if (!ns?.metadata.deletionTimestamp) return
  for (const resource of NAMESPACED_RESOURCES) {
    for (const obj of store.list(resource, { namespace: name }).items) {
      if (obj.metadata.deletionTimestamp) continue
      try {
        store.delete(resource, name, obj.metadata.name ?? '')
      } catch (err) {
        if (!hasCode(err, 404)) throw err
      }
    }
  }
  const left = NAMESPACED_RESOURCES.flatMap((r) => store.list(r, { namespace: name }).items)
  if (left.length > 0) return { requeueAfterMs: RECHECK_MS }
  try {
    store.delete('namespaces', undefined, name, { gracePeriodSeconds: 0 })
  } catch (err) {
    if (!hasCode(err, 404)) throw err
  }
}

// Starts the namespace controller: terminating namespaces, re-checked as their objects disappear.
export function startNamespaceController(ctx: ControllerContext): RunningController {
  const queue = controllerQueue('namespace', ctx, (key) => reconcileNamespace(ctx.store, key))
  const terminating = (ns: string | undefined): boolean =>
    ns !== undefined && ctx.store.get('namespaces', undefined, ns)?.metadata.deletionTimestamp !== undefined
  ctx.informers.for('namespaces').addHandler({
    onAdd: (o) => {
      if (o.metadata.deletionTimestamp) queue.add(o.metadata.name ?? '')
    },
    onUpdate: (_o, n) => {
      if (n.metadata.deletionTimestamp) queue.add(n.metadata.name ?? '')
    },
  })
  ctx.informers.for('pods').addHandler({
    onDelete: (o) => {
      if (terminating(o.metadata.namespace)) queue.add(o.metadata.namespace ?? '')
    },
  })
  return { stop: () => queue.stop() }
}
