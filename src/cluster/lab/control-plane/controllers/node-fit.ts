// Whether a pod fits a node, as the default scheduler's filters decide it: unschedulable nodes, taints
// against tolerations, nodeSelector and required node affinity (matchExpressions and matchFields).
import type {
  V1Node,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1PodSpec,
  V1Taint,
  V1Toleration,
} from '@kubernetes/client-node'

// The taint a node without a Ready=True condition carries upstream (added by the node lifecycle controller).
export const NOT_READY_TAINT: V1Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }
// The taint standing for spec.unschedulable (cordoned nodes).
export const UNSCHEDULABLE_TAINT: V1Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }

// Upstream's filter failure reasons, as they appear in FailedScheduling messages.
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable'
// The reason for a nodeSelector or required node affinity mismatch.
export const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
// The reason for an untolerated taint: `node(s) had untolerated taint {key: value}`.
export function reasonTaint(t: V1Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`
}

// Whether the node's Ready condition is True.
export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

// Whether a toleration tolerates a taint (upstream's ToleratesTaint).
export function tolerates(tol: V1Toleration, taint: V1Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false
  if (tol.key && tol.key !== taint.key) return false
  if (tol.operator === 'Exists') return true
  return (tol.value ?? '') === (taint.value ?? '')
}

// The node's scheduling taints (NoSchedule/NoExecute), plus not-ready when the node is not Ready.
export function schedulingTaints(node: V1Node): V1Taint[] {
  const taints = (node.spec?.taints ?? []).filter(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  )
  if (!isNodeReady(node) && !taints.some((t) => t.key === NOT_READY_TAINT.key)) taints.push(NOT_READY_TAINT)
  return taints
}

// The first taint of the node no toleration tolerates, if any.
export function untoleratedTaint(
  taints: V1Taint[],
  tolerations: V1Toleration[] | undefined,
): V1Taint | undefined {
  return taints.find((t) => !(tolerations ?? []).some((tol) => tolerates(tol, t)))
}

function requirementMatches(req: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? []
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value)
    case 'NotIn':
      return value === undefined || !values.includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    case 'Gt':
    case 'Lt': {
      const n = Number(value)
      const bound = Number(values[0])
      if (value === undefined || !Number.isInteger(n) || !Number.isInteger(bound)) return false
      return req.operator === 'Gt' ? n > bound : n < bound
    }
    default:
      return false
  }
}

// Whether a node selector term matches a node (all expressions and fields; an empty term matches nothing).
export function termMatches(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (exprs.length === 0 && fields.length === 0) return false
  const labels = node.metadata?.labels ?? {}
  return (
    exprs.every((r) => requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) &&
    fields.every((r) => requirementMatches(r, r.key === 'metadata.name' ? node.metadata?.name : undefined))
  )
}

// Whether the pod's nodeSelector and required node affinity both match the node.
export function matchesNodeSelectorAndAffinity(spec: V1PodSpec | undefined, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {}
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  if (!required) return true
  return required.nodeSelectorTerms.some((t) => termMatches(t, node))
}

// Why the pod does not fit the node (upstream filter order), or undefined when it fits.
export function unfitReason(spec: V1PodSpec | undefined, node: V1Node): string | undefined {
  if (node.spec?.unschedulable && untoleratedTaint([UNSCHEDULABLE_TAINT], spec?.tolerations))
    return REASON_UNSCHEDULABLE
  const taint = untoleratedTaint(schedulingTaints(node), spec?.tolerations)
  if (taint) return reasonTaint(taint)
  if (!matchesNodeSelectorAndAffinity(spec, node)) return REASON_AFFINITY
  return undefined
}
