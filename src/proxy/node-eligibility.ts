// What the proxy reads from its Node: whether it should receive LB traffic (/healthz) and its InternalIP.
import type { V1Node } from '@kubernetes/client-node'
import { canonicalIPOf, type IPFamily } from './ip-family.ts'

/** The taint the cluster autoscaler puts on a node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler'

// False when the Node is being deleted or carries the autoscaler's to-be-deleted taint.
export function nodeEligible(node: V1Node): boolean {
  if (node.metadata?.deletionTimestamp) return false
  return !(node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT)
}

// The Node's first InternalIP of the family (upstream's node IP of that proxier), if any.
export function nodeInternalIP(node: V1Node | undefined, family: IPFamily = 'IPv4'): string | undefined {
  const a = node?.status?.addresses?.find((x) => x.type === 'InternalIP' && canonicalIPOf(x.address, family))
  return a ? canonicalIPOf(a.address, family) : undefined
}

// The Node's InternalIPs, first of each family, in the Node's order (upstream's rawNodeIPs: the first one's family is
// the primary family).
export function nodeInternalIPs(node: V1Node | undefined): string[] {
  const out: string[] = []
  for (const a of node?.status?.addresses ?? []) {
    if (a.type !== 'InternalIP') continue
    const ip = canonicalIPOf(a.address, 'IPv4') ?? canonicalIPOf(a.address, 'IPv6')
    if (ip && !out.some((o) => o.includes(':') === ip.includes(':'))) out.push(ip)
  }
  return out
}
