// The deployment controller: Deployment → ReplicaSets (rollouts, scaling) and Deployment status.
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node'
import type { Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { applyClaims, controlledBy, controllerQueue } from './controller.ts'
import { planClaims } from './claims.ts'
import { NAMESPACE_INDEX } from './informer.ts'
import { labelSelectorMatcher } from '../apiserver/selector.ts'
import { eventRecorder, type EventRecorder } from './event-recorder.ts'
import type { ReconcileResult } from './work-queue.ts'
import {
  deploymentStatus,
  msUntilProgressDeadline,
  planDeployment,
  REVISION_ANNOTATION,
} from './deployment-plan.ts'
import { as, canonicalJson, controllerRef, hasCode, isPodTerminal, toKube } from './objects.ts'
import { namespacedName, objectKey, splitKey } from '../../../../kube/object-key.ts'

// Syncs one Deployment: creates/scales/prunes its ReplicaSets, then writes its status.
export function syncDeployment(
  store: Store,
  key: string,
  now: Date,
  controlled: <T>(resource: 'replicasets' | 'pods', uid: string | undefined) => T[],
  events: EventRecorder,
  replicaSetsIn: (namespace: string) => V1ReplicaSet[],
): ReconcileResult | void {
  const { namespace, name } = splitKey(key)
  const obj = store.get('deployments', namespace, name)
  if (!obj || obj.metadata.deletionTimestamp) return
  if (store.get('namespaces', undefined, namespace)?.metadata.deletionTimestamp) return
  const d = as<V1Deployment>(obj)
  const uid = d.metadata?.uid
  // Adopt orphan ReplicaSets the selector matches; release owned ones it no longer matches (upstream
  // ClaimReplicaSets).
  const claimant = { uid, deleting: false, matches: labelSelectorMatcher(d.spec?.selector) }
  applyClaims(store, 'replicasets', namespace, obj, planClaims(claimant, replicaSetsIn(namespace)))
  const owned = () =>
    controlled<V1ReplicaSet>('replicasets', uid)
      .filter((rs) => rs.metadata?.namespace === namespace && !rs.metadata?.deletionTimestamp)
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
  const rss = owned()
  const unfinished = new Map<string, number>()
  for (const rs of rss) {
    const n = controlled<V1Pod>('pods', rs.metadata?.uid).filter((p) => !isPodTerminal(p)).length
    if (n > 0) unfinished.set(rs.metadata?.name ?? '', n)
  }
  const plan = planDeployment(d, rss, unfinished)
  let created = false
  if (plan.create) {
    try {
      store.create('replicasets', toKube(plan.create))
      created = true
      const n = plan.create.spec?.replicas ?? 0
      if (n > 0) events.event(obj, 'Normal', 'ScalingReplicaSet', scaledMessage(plan.create, 0, n))
    } catch (err) {
      if (!hasCode(err, 409)) throw err
      // A ReplicaSet of that name exists but is not ours or has another template: hash collision.
      const status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 }
      store.update('deployments', toKube({ ...d, status }), { subresource: 'status' })
      return
    }
  }
  for (const change of plan.changes) {
    const cur = store.get('replicasets', namespace, change.name)
    if (!cur) continue
    const rs = as<V1ReplicaSet>(cur)
    rs.metadata = { ...rs.metadata, annotations: { ...rs.metadata?.annotations, ...change.annotations } }
    const from = rs.spec?.replicas ?? 1
    rs.spec = { ...rs.spec!, replicas: change.replicas }
    store.update('replicasets', toKube(rs))
    if (from !== change.replicas)
      events.event(obj, 'Normal', 'ScalingReplicaSet', scaledMessage(rs, from, change.replicas))
  }
  for (const gone of plan.deletions) {
    try {
      store.delete('replicasets', namespace, gone)
    } catch (err) {
      if (!hasCode(err, 404)) throw err
    }
  }
  const after = owned()
  const newRS = after.find((rs) => rs.metadata?.name === plan.newReplicaSetName)
  const revision = newRS?.metadata?.annotations?.[REVISION_ANNOTATION]
  if (revision && d.metadata?.annotations?.[REVISION_ANNOTATION] !== revision) {
    const fresh = as<V1Deployment>(store.get('deployments', namespace, name)!)
    fresh.metadata = {
      ...fresh.metadata,
      annotations: { ...fresh.metadata?.annotations, [REVISION_ANNOTATION]: revision },
    }
    store.update('deployments', toKube(fresh))
  }
  const status = deploymentStatus(d, after, newRS, created, now)
  if (canonicalJson(status) !== canonicalJson(d.status ?? {})) {
    const fresh = store.get('deployments', namespace, name)
    if (fresh) store.update('deployments', { ...fresh, status }, { subresource: 'status' })
  }
  // A rollout that stops progressing is looked at again once its deadline passes (upstream requeueStuckDeployment).
  const wait = msUntilProgressDeadline({ ...d, status }, now)
  return wait === undefined ? undefined : { requeueAfterMs: wait + 1000 }
}

// The message of a ScalingReplicaSet event, as upstream's deployment controller writes it.
export function scaledMessage(rs: V1ReplicaSet, from: number, to: number): string {
  return `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata?.name ?? ''} from ${from} to ${to}`
}

// Starts the deployment controller: Deployments, re-synced when their ReplicaSets or old pods change.
export function startDeploymentController(ctx: ControllerContext): RunningController {
  const events = eventRecorder(ctx, 'deployment-controller')
  const deployments = ctx.informers.for('deployments')
  const replicasets = ctx.informers.for('replicasets')
  const queue = controllerQueue('deployment', ctx, (key) =>
    syncDeployment(
      ctx.store,
      key,
      ctx.now(),
      (resource, uid) => controlledBy(ctx, resource, uid),
      events,
      (ns) => replicasets.byIndex(NAMESPACE_INDEX, ns).map((o) => as<V1ReplicaSet>(o)),
    ),
  )
  // A ReplicaSet's controller is re-synced; an orphan re-syncs every Deployment of its namespace that selects it.
  const enqueueOwner = (meta: V1ReplicaSet['metadata']): void => {
    const ref = controllerRef(meta)
    if (ref?.kind === 'Deployment') queue.add(namespacedName(meta?.namespace ?? '', ref.name))
    else if (!ref)
      for (const o of deployments.byIndex(NAMESPACE_INDEX, meta?.namespace ?? '')) {
        if (labelSelectorMatcher(as<V1Deployment>(o).spec?.selector)(meta?.labels))
          queue.add(objectKey(o.metadata))
      }
  }
  deployments.addHandler({
    onAdd: (o) => queue.add(objectKey(o.metadata)),
    onUpdate: (_o, n) => queue.add(objectKey(n.metadata)),
  })
  replicasets.addHandler({
    onAdd: (o) => enqueueOwner(o.metadata),
    onUpdate: (o, n) => {
      enqueueOwner(n.metadata)
      enqueueOwner(o.metadata)
    },
    onDelete: (o) => enqueueOwner(o.metadata),
  })
  // Recreate waits for old pods to finish: a pod going or finishing re-syncs its ReplicaSet's Deployment.
  ctx.informers.for('pods').addHandler({
    onDelete: (o) => {
      const ref = controllerRef(o.metadata)
      if (ref?.kind !== 'ReplicaSet') return
      const rs = ctx.store.get('replicasets', o.metadata.namespace, ref.name)
      if (rs) enqueueOwner(rs.metadata)
    },
  })
  return { stop: () => queue.stop() }
}
