// Pure ReplicaSet logic: how many pods to create, which surplus pods to delete, and the status.
import type {
  V1OwnerReference,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1ReplicaSetStatus,
} from '@kubernetes/client-node'
import { isPodActive, isPodAvailable, isPodReady } from './objects.ts'
import { timeOf } from '../../../../kube/time.ts'

/** What one ReplicaSet sync does. */
export interface ReplicaSetPlan {
  create: number
  /** Names of pods to delete, most expendable first. */
  delete: string[]
}

// Upstream's ActivePods ordering, most expendable first: unscheduled, then pending/unknown before running,
// then not ready before ready, then the newest.
export function deletionOrder(a: V1Pod, b: V1Pod): number {
  const rank = (p: V1Pod): number[] => [
    p.spec?.nodeName ? 1 : 0,
    p.status?.phase === 'Pending'
      ? 0
      : p.status?.phase === 'Unknown'
        ? 1
        : p.status?.phase === 'Running'
          ? 2
          : 0,
    isPodReady(p) ? 1 : 0,
  ]
  const ra = rank(a)
  const rb = rank(b)
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!
  return (
    timeOf(b.metadata?.creationTimestamp) - timeOf(a.metadata?.creationTimestamp) ||
    (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? '')
  )
}

// Plans a sync from the ReplicaSet and the pods it controls (terminating and finished pods do not count).
export function planReplicaSet(rs: V1ReplicaSet, pods: V1Pod[]): ReplicaSetPlan {
  const want = rs.spec?.replicas ?? 1
  const active = pods.filter(isPodActive)
  if (active.length < want) return { create: want - active.length, delete: [] }
  const surplus = [...active].sort(deletionOrder).slice(0, active.length - want)
  return { create: 0, delete: surplus.map((p) => p.metadata?.name ?? '') }
}

// A pod for a controller: generateName `<owner>-`, the template's labels, annotations and spec.
export function podFromTemplate(
  template: V1PodTemplateSpec | undefined,
  namespace: string,
  generateName: string,
  owner: V1OwnerReference,
): V1Pod {
  const t = structuredClone(template ?? {})
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace,
      labels: t.metadata?.labels ?? {},
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [owner],
    },
    spec: t.spec ?? { containers: [] },
    status: { phase: 'Pending' },
  }
}

// The ReplicaSet status from the pods it controls.
export function replicaSetStatus(rs: V1ReplicaSet, pods: V1Pod[], now: number): V1ReplicaSetStatus {
  const active = pods.filter(isPodActive)
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {})
  const minReady = rs.spec?.minReadySeconds ?? 0
  return {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((p) =>
      templateLabels.every(([k, v]) => p.metadata?.labels?.[k] === v),
    ).length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata?.generation,
  }
}

// Milliseconds until the next ready pod becomes available under minReadySeconds, or undefined (ReplicaSets and
// DaemonSets look again then).
export function nextAvailableInMs(minReady: number, pods: V1Pod[], now: number): number | undefined {
  if (minReady <= 0) return undefined
  let next: number | undefined
  for (const p of pods.filter(isPodActive)) {
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')
    const at = timeOf(ready?.lastTransitionTime) + minReady * 1000
    if (ready && at > now && (next === undefined || at - now < next)) next = at - now
  }
  return next
}
