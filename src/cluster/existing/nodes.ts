// A cluster's nodes as the suite sees them, and which of them take ordinary pods.
import type { V1Node } from '@kubernetes/client-node'
import type { ClusterNode } from '../provider.ts'

// A Node object as a ClusterNode: its name, InternalIP and role (control plane by its node-role label).
export function clusterNodeOf(n: V1Node): ClusterNode {
  const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address
  if (!ip) throw new Error(`node ${n.metadata?.name} has no InternalIP address`)
  const cp = 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {})
  return { name: n.metadata!.name!, ip, role: cp ? 'control-plane' : 'worker' }
}

// Whether a scenario's pods can land on the node: not cordoned, no NoSchedule/NoExecute taint, Ready.
export function isSchedulable(n: V1Node): boolean {
  if (n.spec?.unschedulable) return false
  if ((n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) return false
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}
