// The replicaset controller: keeps spec.replicas active pods per ReplicaSet and writes its status.
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node'
import type { Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { applyClaims, controlledBy, controllerQueue, createPod, deletePod, podsIn } from './controller.ts'
import { planClaims } from './claims.ts'
import { NAMESPACE_INDEX } from './informer.ts'
import { labelSelectorMatcher } from '../apiserver/selector.ts'
import { as, canonicalJson, controllerRef, isPodActive, ownerRefTo } from './objects.ts'
import { namespacedName, objectKey, splitKey } from '../../../../kube/object-key.ts'
import { eventRecorder, type EventRecorder } from './event-recorder.ts'
import { nextAvailableInMs, planReplicaSet, podFromTemplate, replicaSetStatus } from './replicaset-plan.ts'
import type { ReconcileResult } from './work-queue.ts'

// Syncs one ReplicaSet: creates missing pods, deletes surplus ones, writes status.
export function syncReplicaSet(
  store: Store,
  key: string,
  now: Date,
  from: { podsOf: (uid: string | undefined) => V1Pod[]; podsIn: (namespace: string) => V1Pod[] },
  events: EventRecorder,
): ReconcileResult | void {
  const { namespace, name } = splitKey(key)
  const obj = store.get('replicasets', namespace, name)
  if (!obj || obj.metadata.deletionTimestamp) return
  const rs = as<V1ReplicaSet>(obj)
  const { podsOf } = from
  // Adopt active orphan pods the selector matches; release active pods it no longer matches (upstream claimPods).
  const claimant = {
    uid: rs.metadata?.uid,
    deleting: false,
    matches: labelSelectorMatcher(rs.spec?.selector),
  }
  applyClaims(store, 'pods', namespace, obj, planClaims(claimant, from.podsIn(namespace).filter(isPodActive)))
  const owned = (): V1Pod[] => podsOf(rs.metadata?.uid).filter((p) => p.metadata?.namespace === namespace)
  const plan = planReplicaSet(rs, owned())
  const terminating = store.get('namespaces', undefined, namespace)?.metadata.deletionTimestamp !== undefined
  if (!terminating) {
    const owner = ownerRefTo({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rs.metadata })
    for (let i = 0; i < plan.create; i++)
      createPod(store, obj, events, podFromTemplate(rs.spec?.template, namespace, `${name}-`, owner))
  }
  for (const pod of plan.delete) deletePod(store, obj, events, namespace, pod)
  const pods = owned()
  const status = replicaSetStatus(rs, pods, now.getTime())
  if (canonicalJson(status) !== canonicalJson(rs.status ?? {})) {
    store.update('replicasets', { ...obj, status }, { subresource: 'status' })
  }
  const wait = nextAvailableInMs(rs.spec?.minReadySeconds ?? 0, pods, now.getTime())
  return wait === undefined ? undefined : { requeueAfterMs: wait + 50 }
}

// Starts the replicaset controller: ReplicaSets, re-synced when a pod they control changes.
export function startReplicaSetController(ctx: ControllerContext): RunningController {
  const events = eventRecorder(ctx, 'replicaset-controller')
  const from = {
    podsOf: (uid: string | undefined) => controlledBy<V1Pod>(ctx, 'pods', uid),
    podsIn: (ns: string) => podsIn(ctx, ns),
  }
  const replicasets = ctx.informers.for('replicasets')
  const queue = controllerQueue('replicaset', ctx, (key) =>
    syncReplicaSet(ctx.store, key, ctx.now(), from, events),
  )
  // A pod's controller is re-synced; an orphan pod re-syncs every ReplicaSet of its namespace that selects it.
  const enqueueOwner = (meta: V1Pod['metadata']): void => {
    const ref = controllerRef(meta)
    if (ref?.kind === 'ReplicaSet') queue.add(namespacedName(meta?.namespace ?? '', ref.name))
    else if (!ref)
      for (const o of replicasets.byIndex(NAMESPACE_INDEX, meta?.namespace ?? '')) {
        if (labelSelectorMatcher(as<V1ReplicaSet>(o).spec?.selector)(meta?.labels))
          queue.add(objectKey(o.metadata))
      }
  }
  replicasets.addHandler({
    onAdd: (o) => queue.add(objectKey(o.metadata)),
    onUpdate: (_o, n) => queue.add(objectKey(n.metadata)),
  })
  ctx.informers.for('pods').addHandler({
    onAdd: (o) => enqueueOwner(o.metadata),
    onUpdate: (_o, n) => enqueueOwner(n.metadata),
    onDelete: (o) => enqueueOwner(o.metadata),
  })
  return { stop: () => queue.stop() }
}
