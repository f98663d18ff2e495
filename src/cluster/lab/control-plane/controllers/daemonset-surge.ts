// Pure DaemonSet rolling update with maxSurge (upstream rolling_update.go, surge branch): a node gets its new pod
// before its old one goes, so the daemon never stops on a node; at most maxSurge nodes run two pods at a time.
import type { V1Pod } from '@kubernetes/client-node'
import { isPodAvailable } from './objects.ts'

/** One node's daemon pods during a surge: at most one of the old template and one of the current. */
export interface SurgeNode {
  node: string
  old?: V1Pod
  new?: V1Pod
  /** Whether the node should run the daemon (false: the old pod only stays until it is replaced or goes). */
  shouldRun: boolean
}

/** What a surge step does: nodes to create a current pod on, old pods to delete. */
export interface SurgeStep {
  createOn: string[]
  delete: string[]
}

// One surge step (upstream rollingUpdate with maxSurge > 0): an old pod that is unavailable is replaced at once;
// an old pod goes once the new one beside it is available; available old pods get a new pod beside them while
// fewer than maxSurge new pods are still becoming available. `busy` counts nodes already over one pod.
export function planSurge(
  nodes: SurgeNode[],
  maxSurge: number,
  minReadySeconds: number,
  now: number,
  busy = 0,
): SurgeStep {
  const available = (p: V1Pod): boolean => isPodAvailable(p, minReadySeconds, now)
  const step: SurgeStep = { createOn: [], delete: [] }
  const candidates: string[] = []
  let surging = busy
  for (const n of nodes) {
    if (!n.old) continue
    if (!n.new) {
      if (!available(n.old)) {
        if (n.shouldRun) step.createOn.push(n.node)
        else step.delete.push(n.old.metadata?.name ?? '')
      } else if (n.shouldRun) candidates.push(n.node)
      continue
    }
    if (available(n.new)) step.delete.push(n.old.metadata?.name ?? '')
    else surging++
  }
  const room = Math.min(candidates.length, Math.max(0, maxSurge - surging))
  step.createOn.push(...candidates.slice(0, room))
  return step
}
