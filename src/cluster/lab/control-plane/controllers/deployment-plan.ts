// Pure Deployment logic: which ReplicaSet is new, how far each ReplicaSet scales (RollingUpdate or
// Recreate, as upstream's deployment controller), and the Deployment's status.
import type {
  V1Deployment,
  V1DeploymentCondition,
  V1DeploymentStatus,
  V1ReplicaSet,
} from '@kubernetes/client-node'
import { ownerRefTo } from './objects.ts'
import { apiTime, timeOf } from '../../../../kube/time.ts'
import {
  DESIRED_REPLICAS_ANNOTATION,
  isScalingEvent,
  MAX_REPLICAS_ANNOTATION,
  scaleTargets,
} from './deployment-scale.ts'
import { POD_TEMPLATE_HASH_LABEL, podTemplateHash, templatesEqualIgnoringHash } from './pod-template-hash.ts'

// The annotations upstream keeps on ReplicaSets and Deployments.
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
// The replicas-annotations upstream keeps on ReplicaSets (defined with the scaling that reads them).
export { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './deployment-scale.ts'

/** A change to one existing ReplicaSet. */
export interface ReplicaSetChange {
  name: string
  replicas: number
  annotations: Record<string, string>
}

/** What one Deployment sync does. */
export interface DeploymentPlan {
  /** The new ReplicaSet to create, if the current template has none. */
  create?: V1ReplicaSet
  /** Existing ReplicaSets whose replicas or annotations change. */
  changes: ReplicaSetChange[]
  /** Old ReplicaSets beyond revisionHistoryLimit, scaled to 0, to delete. */
  deletions: string[]
  /** The ReplicaSet that runs the current template (created or existing). */
  newReplicaSetName: string
}

const replicasOf = (rs: V1ReplicaSet): number => rs.spec?.replicas ?? 1
const revisionOf = (rs: V1ReplicaSet): number =>
  Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0) || 0
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)
const byAge = (a: V1ReplicaSet, b: V1ReplicaSet): number =>
  timeOf(a.metadata?.creationTimestamp) - timeOf(b.metadata?.creationTimestamp) ||
  (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')

// Resolves an int-or-percent against a total (percentages round up for surge, down for unavailable).
export function resolveIntOrPercent(
  v: number | string | undefined,
  total: number,
  roundUp: boolean,
  dflt: string,
): number {
  const value = v ?? dflt
  if (typeof value === 'number') return value
  const m = /^(\d+)%$/.exec(value)
  if (!m) {
    const n = Number(value)
    if (Number.isInteger(n)) return n
    throw new TypeError(`invalid int-or-percent ${JSON.stringify(value)}`)
  }
  const exact = (Number(m[1]) * total) / 100
  return roundUp ? Math.ceil(exact) : Math.floor(exact)
}

// maxSurge and maxUnavailable of a RollingUpdate Deployment, resolved like upstream's ResolveFenceposts.
export function surgeAndUnavailable(d: V1Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 1
  if (d.spec?.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas }
  const ru = d.spec?.strategy?.rollingUpdate
  const maxSurge = resolveIntOrPercent(ru?.maxSurge, replicas, true, '25%')
  let maxUnavailable = resolveIntOrPercent(ru?.maxUnavailable, replicas, false, '25%')
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) }
}

// The ReplicaSet of a Deployment whose template matches the Deployment's, if any.
export function findNewReplicaSet(d: V1Deployment, owned: V1ReplicaSet[]): V1ReplicaSet | undefined {
  return [...owned].sort(byAge).find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template))
}

// The new ReplicaSet object for a Deployment's current template, with the given replicas and revision.
export function newReplicaSetFor(d: V1Deployment, replicas: number, revision: number): V1ReplicaSet {
  const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount)
  const template = structuredClone(d.spec?.template ?? {})
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash },
  }
  const selector = structuredClone(d.spec?.selector ?? {})
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash }
  const { maxSurge } = surgeAndUnavailable(d)
  const desired = d.spec?.replicas ?? 1
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name ?? ''}-${hash}`,
      namespace: d.metadata?.namespace,
      labels: { ...template.metadata.labels },
      annotations: {
        [DESIRED_REPLICAS_ANNOTATION]: String(desired),
        [MAX_REPLICAS_ANNOTATION]: String(desired + maxSurge),
        [REVISION_ANNOTATION]: String(revision),
      },
      ownerReferences: [ownerRefTo({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata })],
    },
    spec: {
      replicas,
      minReadySeconds: d.spec?.minReadySeconds,
      selector,
      template,
    },
  }
}

// Plans one sync of a Deployment from the ReplicaSets it controls and, per old ReplicaSet, how many of its
// pods have not finished (Recreate waits for them).
export function planDeployment(
  d: V1Deployment,
  owned: V1ReplicaSet[],
  unfinishedPodsByRs: ReadonlyMap<string, number>,
): DeploymentPlan {
  const replicas = d.spec?.replicas ?? 1
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(d)
  const existingNew = findNewReplicaSet(d, owned)
  const olds = owned.filter((rs) => rs !== existingNew).sort(byAge)
  const nextRevision = Math.max(0, ...olds.map(revisionOf)) + 1
  const target = new Map<string, number>(owned.map((rs) => [rs.metadata?.name ?? '', replicasOf(rs)]))
  const annotations = (desired: number): Record<string, string> => ({
    [DESIRED_REPLICAS_ANNOTATION]: String(replicas),
    [MAX_REPLICAS_ANNOTATION]: String(replicas + maxSurge),
    [REVISION_ANNOTATION]: String(desired),
  })
  let create: V1ReplicaSet | undefined
  const newName = existingNew?.metadata?.name ?? newReplicaSetFor(d, 0, nextRevision).metadata?.name ?? ''
  const setNew = (n: number): void => {
    if (existingNew) target.set(newName, n)
    else create = newReplicaSetFor(d, n, nextRevision)
  }
  const newReplicas = existingNew ? replicasOf(existingNew) : 0

  // Scaled ReplicaSets get the current replicas annotations, as upstream's scaleReplicaSet writes them.
  const sized = new Set<string>()
  if (d.spec?.paused || isScalingEvent(d, owned)) {
    // A scaling event (or a paused Deployment) is only scaled this sync; rollout steps wait for the next one.
    for (const [name, n] of scaleTargets(d, existingNew, olds, maxSurge)) {
      target.set(name, n)
      sized.add(name)
    }
  } else if (d.spec?.strategy?.type === 'Recreate') {
    for (const rs of olds) target.set(rs.metadata?.name ?? '', 0)
    const oldRunning = olds.some(
      (rs) => (unfinishedPodsByRs.get(rs.metadata?.name ?? '') ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0,
    )
    if (!oldRunning) setNew(replicas)
  } else {
    const allCount = sum(owned.map(replicasOf))
    if (newReplicas > replicas) setNew(replicas)
    else if (newReplicas < replicas || !existingNew) {
      const room = Math.max(0, replicas + maxSurge - allCount)
      const scaleUp = Math.min(room, replicas - newReplicas)
      if (scaleUp > 0 || !existingNew) setNew(newReplicas + scaleUp)
    }
    const scaledUp = (target.get(newName) ?? create?.spec?.replicas ?? 0) > newReplicas
    if (!scaledUp) scaleDownOld(olds, existingNew, replicas - maxUnavailable, target)
  }

  const changes: ReplicaSetChange[] = []
  for (const rs of owned) {
    const name = rs.metadata?.name ?? ''
    const want = target.get(name) ?? replicasOf(rs)
    const isNew = rs === existingNew
    const rev = isNew && revisionOf(rs) < nextRevision ? nextRevision : revisionOf(rs)
    const resized = sized.has(name) || want !== replicasOf(rs)
    const ann = isNew
      ? annotations(rev)
      : resized
        ? {
            ...rs.metadata?.annotations,
            [DESIRED_REPLICAS_ANNOTATION]: String(replicas),
            [MAX_REPLICAS_ANNOTATION]: String(replicas + maxSurge),
          }
        : { ...rs.metadata?.annotations }
    const cur = rs.metadata?.annotations ?? {}
    const annChanged = Object.entries(ann).some(([k, v]) => cur[k] !== v)
    if (want !== replicasOf(rs) || annChanged) changes.push({ name, replicas: want, annotations: ann })
  }
  return { create, changes, deletions: historyToDelete(d, olds, target), newReplicaSetName: newName }
}

// Upstream's reconcileOldReplicaSets: first drop unhealthy old replicas, then scale old ReplicaSets down
// (oldest first) while keeping at least minAvailable pods available.
function scaleDownOld(
  olds: V1ReplicaSet[],
  newRS: V1ReplicaSet | undefined,
  minAvailable: number,
  target: Map<string, number>,
): void {
  const name = (rs: V1ReplicaSet): string => rs.metadata?.name ?? ''
  if (sum(olds.map(replicasOf)) === 0) return
  const all = newRS ? [...olds, newRS] : olds
  const allCount = sum(all.map(replicasOf))
  const newUnavailable = newRS ? replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0) : 0
  const maxScaledDown = allCount - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return
  let cleaned = 0
  for (const rs of olds) {
    if (cleaned >= maxScaledDown) break
    const unhealthy = Math.max(0, replicasOf(rs) - (rs.status?.availableReplicas ?? 0))
    const down = Math.min(maxScaledDown - cleaned, unhealthy)
    if (down > 0) target.set(name(rs), replicasOf(rs) - down)
    cleaned += down
  }
  const available = sum(all.map((rs) => rs.status?.availableReplicas ?? 0))
  let total = available - minAvailable
  for (const rs of olds) {
    if (total <= 0) break
    const current = target.get(name(rs)) ?? replicasOf(rs)
    const down = Math.min(current, total)
    if (down > 0) target.set(name(rs), current - down)
    total -= down
  }
}

// Old ReplicaSets at 0 replicas beyond spec.revisionHistoryLimit (default 10), oldest first.
function historyToDelete(d: V1Deployment, olds: V1ReplicaSet[], target: Map<string, number>): string[] {
  const limit = d.spec?.revisionHistoryLimit ?? 10
  const idle = olds.filter(
    (rs) =>
      (target.get(rs.metadata?.name ?? '') ?? 0) === 0 &&
      (rs.status?.replicas ?? 0) === 0 &&
      replicasOf(rs) === 0,
  )
  return idle.slice(0, Math.max(0, idle.length - limit)).map((rs) => rs.metadata?.name ?? '')
}

// The Deployment status upstream's calculateStatus would write, with Available/Progressing conditions.
export function deploymentStatus(
  d: V1Deployment,
  owned: V1ReplicaSet[],
  newRS: V1ReplicaSet | undefined,
  createdNewRS: boolean,
  now: Date,
): V1DeploymentStatus {
  const replicas = d.spec?.replicas ?? 1
  const { maxUnavailable } = surgeAndUnavailable(d)
  const status: V1DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sum(owned.map((rs) => rs.status?.replicas ?? 0)),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(owned.map((rs) => rs.status?.readyReplicas ?? 0)),
    availableReplicas: sum(owned.map((rs) => rs.status?.availableReplicas ?? 0)),
    unavailableReplicas: 0,
  }
  status.unavailableReplicas = Math.max(0, sum(owned.map(replicasOf)) - (status.availableReplicas ?? 0))
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount
  const old = d.status?.conditions ?? []
  const cond = (type: string, ok: boolean, reason: string, message: string): V1DeploymentCondition => {
    const prev = old.find((c) => c.type === type)
    const same = prev?.status === (ok ? 'True' : 'False')
    const unchanged = same && prev?.reason === reason && prev?.message === message
    return {
      type,
      status: ok ? 'True' : 'False',
      lastUpdateTime: unchanged && prev?.lastUpdateTime ? prev.lastUpdateTime : apiTime(now),
      lastTransitionTime: same && prev?.lastTransitionTime ? prev.lastTransitionTime : apiTime(now),
      reason,
      message,
    }
  }
  const available = (status.availableReplicas ?? 0) >= replicas - maxUnavailable
  const rsName = newRS?.metadata?.name ?? ''
  const complete =
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas
  const progressing = progressingCondition(d, status, { complete, createdNewRS, rsName, now, cond })
  status.conditions = [
    available
      ? cond('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : cond(
          'Available',
          false,
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ),
    ...(progressing ? [progressing] : []),
  ]
  return status
}

// Upstream's "no progress deadline" value of spec.progressDeadlineSeconds (MaxInt32).
const NO_DEADLINE = 2 ** 31 - 1

// Whether the new status shows progress over the last one (upstream DeploymentProgressing): more updated, ready
// or available replicas, or fewer old ones.
export function madeProgress(before: V1DeploymentStatus, after: V1DeploymentStatus): boolean {
  const old = (s: V1DeploymentStatus): number => (s.replicas ?? 0) - (s.updatedReplicas ?? 0)
  return (
    (after.updatedReplicas ?? 0) > (before.updatedReplicas ?? 0) ||
    old(after) < old(before) ||
    (after.readyReplicas ?? 0) > (before.readyReplicas ?? 0) ||
    (after.availableReplicas ?? 0) > (before.availableReplicas ?? 0)
  )
}

// Milliseconds until the rollout's progress deadline passes (0 when it has), or undefined when no deadline is
// running: no deadline, paused, complete, or already timed out.
export function msUntilProgressDeadline(d: V1Deployment, now: Date): number | undefined {
  const deadline = d.spec?.progressDeadlineSeconds ?? 600
  const p = d.status?.conditions?.find((c) => c.type === 'Progressing')
  if (deadline === NO_DEADLINE || d.spec?.paused || !p || p.status === 'False') return undefined
  if (p.reason === 'NewReplicaSetAvailable' || p.reason === 'DeploymentPaused') return undefined
  const from = timeOf(p.lastUpdateTime)
  if (Number.isNaN(from)) return undefined
  return Math.max(0, from + deadline * 1000 - now.getTime())
}

// The Progressing condition as upstream's syncRolloutStatus and checkPausedConditions set it: complete, a new
// ReplicaSet, progress (lastUpdateTime moves), paused/resumed (Unknown), or ProgressDeadlineExceeded once
// lastUpdateTime + progressDeadlineSeconds has passed without progress; otherwise the previous one stays.
function progressingCondition(
  d: V1Deployment,
  status: V1DeploymentStatus,
  o: {
    complete: boolean
    createdNewRS: boolean
    rsName: string
    now: Date
    cond: (type: string, ok: boolean, reason: string, message: string) => V1DeploymentCondition
  },
): V1DeploymentCondition | undefined {
  const prev = d.status?.conditions?.find((c) => c.type === 'Progressing')
  const unknown = (reason: string, message: string): V1DeploymentCondition =>
    prev?.status === 'Unknown' && prev.reason === reason
      ? prev
      : {
          type: 'Progressing',
          status: 'Unknown',
          lastUpdateTime: apiTime(o.now),
          lastTransitionTime:
            prev?.status === 'Unknown' && prev.lastTransitionTime ? prev.lastTransitionTime : apiTime(o.now),
          reason,
          message,
        }
  if (d.spec?.paused) return unknown('DeploymentPaused', 'Deployment is paused')
  if (prev?.reason === 'DeploymentPaused') return unknown('DeploymentResumed', 'Deployment is resumed')
  if (o.complete)
    return o.cond(
      'Progressing',
      true,
      'NewReplicaSetAvailable',
      `ReplicaSet "${o.rsName}" has successfully progressed.`,
    )
  if (o.createdNewRS)
    return o.cond('Progressing', true, 'NewReplicaSetCreated', `Created new replica set "${o.rsName}"`)
  if (!prev || madeProgress(d.status ?? {}, status))
    return {
      ...o.cond('Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${o.rsName}" is progressing.`),
      lastUpdateTime: apiTime(o.now),
    }
  if (prev.reason === 'ProgressDeadlineExceeded' || msUntilProgressDeadline(d, o.now) === 0)
    return o.cond(
      'Progressing',
      false,
      'ProgressDeadlineExceeded',
      `ReplicaSet "${o.rsName}" has timed out progressing.`,
    )
  return prev
}
