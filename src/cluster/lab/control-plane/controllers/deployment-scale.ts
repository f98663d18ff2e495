// Pure Deployment scaling as upstream's sync.go scale() does it: a change of spec.replicas is a "scaling event"
// handled before any rollout step, and in the middle of a rolling update it is shared out proportionally over
// the active ReplicaSets.
import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node'
import { timeOf } from '../../../../kube/time.ts'

// The replicas the Deployment wanted when it last touched a ReplicaSet.
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas'
// replicas + maxSurge when the Deployment last touched a ReplicaSet.
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas'

const replicasOf = (rs: V1ReplicaSet): number => rs.spec?.replicas ?? 1
const nameOf = (rs: V1ReplicaSet): string => rs.metadata?.name ?? ''
const created = (rs: V1ReplicaSet): number => timeOf(rs.metadata?.creationTimestamp)
const annotated = (rs: V1ReplicaSet, key: string): number | undefined => {
  const v = rs.metadata?.annotations?.[key]
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined
}

// Whether an active ReplicaSet was sized for another spec.replicas (upstream isScalingEvent).
export function isScalingEvent(d: V1Deployment, owned: V1ReplicaSet[]): boolean {
  const replicas = d.spec?.replicas ?? 1
  return owned.some((rs) => {
    const desired = annotated(rs, DESIRED_REPLICAS_ANNOTATION)
    return replicasOf(rs) > 0 && desired !== undefined && desired !== replicas
  })
}

// How many replicas a ReplicaSet gains (or loses, negative) in proportion to the Deployment's change in
// replicas + maxSurge since the ReplicaSet was last sized (upstream getReplicaSetFraction).
function fraction(d: V1Deployment, rs: V1ReplicaSet, maxSurge: number): number {
  const replicas = d.spec?.replicas ?? 1
  if (replicas === 0) return -replicasOf(rs)
  const before = annotated(rs, MAX_REPLICAS_ANNOTATION) || d.status?.replicas || 0
  if (before === 0) return 0
  return Math.round((replicasOf(rs) * (replicas + maxSurge)) / before) - replicasOf(rs)
}

// The sizes upstream's scale() gives the ReplicaSets for a scaling event (or a paused Deployment), by name.
// newRS may be absent (its template not created yet); olds are the other owned ReplicaSets.
export function scaleTargets(
  d: V1Deployment,
  newRS: V1ReplicaSet | undefined,
  olds: V1ReplicaSet[],
  maxSurge: number,
): Map<string, number> {
  const replicas = d.spec?.replicas ?? 1
  const out = new Map<string, number>()
  const all = newRS ? [...olds, newRS] : [...olds]
  const active = all.filter((rs) => replicasOf(rs) > 0)
  // One active ReplicaSet (or none: the newest) takes the whole count.
  if (active.length <= 1) {
    const newest = [...all].sort((a, b) => created(b) - created(a))[0]
    const one = active[0] ?? newRS ?? newest
    if (one) out.set(nameOf(one), replicas)
    return out
  }
  // A saturated new ReplicaSet: the old ones go to zero.
  if (
    newRS &&
    replicasOf(newRS) === replicas &&
    annotated(newRS, DESIRED_REPLICAS_ANNOTATION) === replicas &&
    (newRS.status?.availableReplicas ?? 0) === replicas
  ) {
    for (const rs of active) if (rs !== newRS) out.set(nameOf(rs), 0)
    return out
  }
  if (d.spec?.strategy?.type === 'Recreate') return out
  const allowed = replicas > 0 ? replicas + maxSurge : 0
  const toAdd = allowed - active.reduce((n, rs) => n + replicasOf(rs), 0)
  // Larger first; on a tie, newer first when adding and older first when removing.
  const order = [...active].sort(
    (a, b) =>
      replicasOf(b) - replicasOf(a) || (toAdd > 0 ? created(b) - created(a) : created(a) - created(b)),
  )
  let added = 0
  for (const rs of order) {
    let share = 0
    if (toAdd !== 0 && toAdd !== added) {
      const f = fraction(d, rs, maxSurge)
      share = toAdd > 0 ? Math.min(f, toAdd - added) : Math.max(f, toAdd - added)
    }
    out.set(nameOf(rs), replicasOf(rs) + share)
    added += share
  }
  // Leftovers go to the largest.
  const first = order[0]!
  out.set(nameOf(first), Math.max(0, out.get(nameOf(first))! + toAdd - added))
  return out
}
