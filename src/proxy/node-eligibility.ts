// What the proxy reads from its Node: whether it should receive LB traffic (/healthz) and its InternalIP.
import type { V1Node } from '@kubernetes/client-node'
import { canonicalIPv4 } from '../kube/ip.ts'

/** The taint the cluster autoscaler puts on a node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler'

// False when the Node is being deleted or carries the autoscaler's to-be-deleted taint.
export function nodeEligible(node: V1Node): boolean {
  if (node.metadata?.deletionTimestamp) return false
  return !(node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT)
}

// The Node's first IPv4 InternalIP (upstream's node IP), if any.
export function nodeInternalIP(node: V1Node | undefined): string | undefined {
  const a = node?.status?.addresses?.find((x) => x.type === 'InternalIP' && canonicalIPv4(x.address))
  return a ? canonicalIPv4(a.address) : undefined
}
