// Pure DaemonSet logic: which nodes should run a daemon pod, the pod for a node (pinned by node affinity like
// upstream), which pods to create or delete (including RollingUpdate of outdated pods), and the status.
import type {
  V1DaemonSet,
  V1DaemonSetStatus,
  V1Node,
  V1Pod,
  V1PodSpec,
  V1Toleration,
} from '@kubernetes/client-node'
import { matchesNodeSelectorAndAffinity, schedulingTaints, untoleratedTaint } from './node-fit.ts'
import { isPodAvailable, isPodReady, isPodTerminal, ownerRefTo } from './objects.ts'
import { timeOf } from '../../../../kube/time.ts'
import { podTemplateHash } from './pod-template-hash.ts'
import { resolveIntOrPercent } from './deployment-plan.ts'
import { planSurge, type SurgeNode } from './daemonset-surge.ts'

// The label carrying the template hash of a daemon pod.
export const REVISION_HASH_LABEL = 'controller-revision-hash'

// Tolerations upstream adds to every daemon pod (AddOrUpdateDaemonPodTolerations).
export function daemonTolerations(spec: V1PodSpec | undefined): V1Toleration[] {
  const extra: V1Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ]
  if (spec?.hostNetwork)
    extra.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' })
  const have = spec?.tolerations ?? []
  return [
    ...have,
    ...extra.filter(
      (t) => !have.some((h) => h.key === t.key && h.effect === t.effect && h.operator === 'Exists'),
    ),
  ]
}

/** Whether a node should get a daemon pod, and whether an existing one may stay. */
export interface NodeVerdict {
  shouldRun: boolean
  shouldContinueRunning: boolean
}

// Upstream's nodeShouldRunDaemonPod: selector/affinity must match; NoSchedule and NoExecute taints block new
// pods, only NoExecute taints evict existing ones.
export function nodeVerdict(ds: V1DaemonSet, node: V1Node): NodeVerdict {
  const spec = ds.spec?.template?.spec
  if (!matchesNodeSelectorAndAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false }
  const tolerations = daemonTolerations(spec)
  const taints = schedulingTaints(node)
  const shouldRun = untoleratedTaint(taints, tolerations) === undefined
  const shouldContinueRunning =
    untoleratedTaint(
      taints.filter((t) => t.effect === 'NoExecute'),
      tolerations,
    ) === undefined
  return { shouldRun, shouldContinueRunning }
}

// The node a daemon pod is for: spec.nodeName, or the metadata.name its required node affinity pins.
export function targetNode(pod: V1Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0]
    }
  }
  return undefined
}

// The daemon pod for a node: template labels plus revision labels, affinity pinned to the node, tolerations.
export function daemonPodFor(ds: V1DaemonSet, node: string): V1Pod {
  const t = structuredClone(ds.spec?.template ?? {})
  const spec: V1PodSpec = t.spec ?? { containers: [] }
  spec.affinity = {
    ...spec.affinity,
    nodeAffinity: {
      ...spec.affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  }
  spec.tolerations = daemonTolerations(spec)
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata?.name ?? ''}-`,
      namespace: ds.metadata?.namespace,
      labels: {
        ...t.metadata?.labels,
        [REVISION_HASH_LABEL]: podTemplateHash(ds.spec?.template),
        'pod-template-generation': String(ds.metadata?.generation ?? 1),
      },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [ownerRefTo({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: ds.metadata })],
    },
    spec,
    status: { phase: 'Pending' },
  }
}

/** What one DaemonSet sync does. */
export interface DaemonSetPlan {
  createOn: string[]
  delete: string[]
  status: V1DaemonSetStatus
}

const oldestFirst = (a: V1Pod, b: V1Pod): number =>
  timeOf(a.metadata?.creationTimestamp) - timeOf(b.metadata?.creationTimestamp) ||
  (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')

// Plans a DaemonSet sync from all nodes and the pods the DaemonSet controls.
export function planDaemonSet(ds: V1DaemonSet, nodes: V1Node[], pods: V1Pod[], now: number): DaemonSetPlan {
  const hash = podTemplateHash(ds.spec?.template)
  const minReady = ds.spec?.minReadySeconds ?? 0
  const byNode = new Map<string, V1Pod[]>()
  const del = new Set<string>()
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue
    const node = targetNode(p)
    if (p.status?.phase === 'Failed' || node === undefined) {
      del.add(p.metadata?.name ?? '')
      continue
    }
    if (isPodTerminal(p)) continue
    byNode.set(node, [...(byNode.get(node) ?? []), p])
  }
  const createOn: string[] = []
  const status: V1DaemonSetStatus = {
    currentNumberScheduled: 0,
    desiredNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
    updatedNumberScheduled: 0,
    observedGeneration: ds.metadata?.generation,
  }
  const outdated: { pod: V1Pod; available: boolean }[] = []
  const known = new Set<string>()
  const rolling = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate'
  const desired = nodes.filter((n) => nodeVerdict(ds, n).shouldRun).length
  const maxSurge = rolling
    ? resolveIntOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge, desired, true, '0')
    : 0
  const surgeNodes: SurgeNode[] = []
  let surgeBusy = 0
  for (const node of [...nodes].sort((a, b) =>
    (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  )) {
    const name = node.metadata?.name ?? ''
    known.add(name)
    const v = nodeVerdict(ds, node)
    const onNode = (byNode.get(name) ?? []).sort(oldestFirst)
    if (v.shouldRun) status.desiredNumberScheduled++
    if (onNode.length === 0) {
      if (v.shouldRun) createOn.push(name)
      continue
    }
    if (!v.shouldContinueRunning) {
      for (const p of onNode) del.add(p.metadata?.name ?? '')
      continue
    }
    // While surging a node may run one old and one current pod; anything else beyond the oldest pod goes.
    const isCurrent = (p: V1Pod): boolean => p.metadata?.labels?.[REVISION_HASH_LABEL] === hash
    const pair =
      maxSurge > 0 && onNode.length === 2 && isCurrent(onNode[0]!) !== isCurrent(onNode[1]!)
        ? { old: onNode.find((p) => !isCurrent(p))!, new: onNode.find(isCurrent)! }
        : undefined
    if (!pair) for (const extra of onNode.slice(1)) del.add(extra.metadata?.name ?? '')
    if (maxSurge > 0 && !pair && onNode.length > 1) surgeBusy++
    const pod = onNode[0]!
    if (maxSurge > 0 && (pair || onNode.length === 1))
      surgeNodes.push({
        node: name,
        ...(pair ?? (isCurrent(pod) ? { new: pod } : { old: pod })),
        shouldRun: v.shouldRun,
      })
    if (!v.shouldRun) {
      status.numberMisscheduled!++
      continue
    }
    status.currentNumberScheduled++
    if (isPodReady(pod)) status.numberReady++
    const available = isPodAvailable(pod, minReady, now)
    if (available) status.numberAvailable!++
    if (pod.metadata?.labels?.[REVISION_HASH_LABEL] === hash) status.updatedNumberScheduled!++
    else outdated.push({ pod, available })
  }
  for (const [node, ps] of byNode) if (!known.has(node)) for (const p of ps) del.add(p.metadata?.name ?? '')
  status.numberUnavailable = Math.max(0, status.desiredNumberScheduled - (status.numberAvailable ?? 0))
  if (maxSurge > 0) {
    const step = planSurge(surgeNodes, maxSurge, minReady, now, surgeBusy)
    createOn.push(...step.createOn)
    for (const name of step.delete) del.add(name)
  } else if (rolling) {
    const maxUnavailable = Math.max(
      1,
      resolveIntOrPercent(
        ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable,
        status.desiredNumberScheduled,
        false,
        '1',
      ),
    )
    let budget = maxUnavailable - status.numberUnavailable
    for (const o of outdated) {
      if (!o.available) del.add(o.pod.metadata?.name ?? '')
      else if (budget > 0) {
        del.add(o.pod.metadata?.name ?? '')
        budget--
      }
    }
  }
  return { createOn, delete: [...del].sort(), status }
}
