// The daemonset controller: one pod per eligible node, pinned by node affinity, and the DaemonSet status.
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node'
import type { Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controlledBy, controllerQueue, createPod, deletePod, sortedByName } from './controller.ts'
import { eventRecorder, type EventRecorder } from './event-recorder.ts'
import { nextAvailableInMs } from './replicaset-plan.ts'
import type { ReconcileResult } from './work-queue.ts'
import { daemonPodFor, planDaemonSet } from './daemonset-plan.ts'
import { as, canonicalJson, controllerRef } from './objects.ts'
import { namespacedName, objectKey, splitKey } from '../../../../kube/object-key.ts'

// Syncs one DaemonSet: creates pods on nodes that lack one, deletes misplaced/extra/outdated pods, writes status.
export function syncDaemonSet(
  store: Store,
  key: string,
  now: Date,
  from: { nodes: () => V1Node[]; podsOf: (uid: string | undefined) => V1Pod[] },
  events: EventRecorder,
): ReconcileResult | void {
  const { namespace, name } = splitKey(key)
  const obj = store.get('daemonsets', namespace, name)
  if (!obj || obj.metadata.deletionTimestamp) return
  const ds = as<V1DaemonSet>(obj)
  const nodes = from.nodes()
  const pods = from.podsOf(ds.metadata?.uid).filter((p) => p.metadata?.namespace === namespace)
  const plan = planDaemonSet(ds, nodes, pods, now.getTime())
  const terminating = store.get('namespaces', undefined, namespace)?.metadata.deletionTimestamp !== undefined
  if (!terminating) for (const node of plan.createOn) createPod(store, obj, events, daemonPodFor(ds, node))
  for (const pod of plan.delete) deletePod(store, obj, events, namespace, pod)
  if (canonicalJson(plan.status) !== canonicalJson(ds.status ?? {})) {
    store.update('daemonsets', { ...obj, status: plan.status }, { subresource: 'status' })
  }
  // A ready pod becomes available after minReadySeconds: look again then.
  const wait = nextAvailableInMs(ds.spec?.minReadySeconds ?? 0, pods, now.getTime())
  return wait === undefined ? undefined : { requeueAfterMs: wait + 50 }
}

// Starts the daemonset controller: DaemonSets, re-synced when their pods or any node change.
export function startDaemonSetController(ctx: ControllerContext): RunningController {
  const nodes = ctx.informers.for('nodes')
  const from = {
    nodes: () => sortedByName(nodes.list()).map((o) => as<V1Node>(o)),
    podsOf: (uid: string | undefined) => controlledBy<V1Pod>(ctx, 'pods', uid),
  }
  const events = eventRecorder(ctx, 'daemonset-controller')
  const queue = controllerQueue('daemonset', ctx, (key) =>
    syncDaemonSet(ctx.store, key, ctx.now(), from, events),
  )
  const daemonsets = ctx.informers.for('daemonsets')
  daemonsets.addHandler({
    onAdd: (o) => queue.add(objectKey(o.metadata)),
    onUpdate: (_o, n) => queue.add(objectKey(n.metadata)),
  })
  const enqueueOwner = (meta: V1Pod['metadata']): void => {
    const ref = controllerRef(meta)
    if (ref?.kind === 'DaemonSet') queue.add(namespacedName(meta?.namespace ?? '', ref.name))
  }
  ctx.informers.for('pods').addHandler({
    onAdd: (o) => enqueueOwner(o.metadata),
    onUpdate: (_o, n) => enqueueOwner(n.metadata),
    onDelete: (o) => enqueueOwner(o.metadata),
  })
  const all = (): void => {
    for (const d of daemonsets.list()) queue.add(objectKey(d.metadata))
  }
  nodes.addHandler({ onAdd: all, onUpdate: all, onDelete: all })
  return { stop: () => queue.stop() }
}
