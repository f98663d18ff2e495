// Whether this node should receive load-balancer traffic, as upstream's proxy health server decides for /healthz.
import type { V1Node } from '@kubernetes/client-node'

/** The taint the cluster autoscaler puts on a node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler'

// False when the Node is being deleted or carries the autoscaler's to-be-deleted taint.
export function nodeEligible(node: V1Node): boolean {
  if (node.metadata?.deletionTimestamp) return false
  return !(node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT)
}
