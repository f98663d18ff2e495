// Deployment, ReplicaSet and DaemonSet admission: defaults and selector/template validation like apps/v1.
import type { V1LabelSelector } from '@kubernetes/client-node'
import type { AdmissionHook } from './admission.ts'
import { defaultPodSpec, validatePodSpec, type PodSpecLike } from './pod-admission.ts'
import { invalidValue, required } from './field-errors.ts'
import { validateLabels } from './object-meta.ts'
import { labelSelectorMatcher } from './selector.ts'
import { StatusError, invalid, type StatusCause } from './status-error.ts'
import type { KubeObject } from './store.ts'

interface WorkloadSpec {
  replicas?: number
  selector?: V1LabelSelector
  template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpecLike }
  strategy?: { type?: string; rollingUpdate?: unknown }
  updateStrategy?: { type?: string; rollingUpdate?: unknown }
  revisionHistoryLimit?: number
  progressDeadlineSeconds?: number
  minReadySeconds?: number
  [k: string]: unknown
}

type Kind = 'Deployment' | 'ReplicaSet' | 'DaemonSet'

// Fills in apps/v1 defaults for a workload spec and its pod template.
export function defaultWorkloadSpec(kind: Kind, s: WorkloadSpec): void {
  if (kind !== 'DaemonSet') s.replicas ??= 1
  s.minReadySeconds ??= 0
  if (kind === 'Deployment') {
    s.strategy ??= { type: 'RollingUpdate' }
    s.strategy.type ??= 'RollingUpdate'
    if (s.strategy.type === 'RollingUpdate')
      s.strategy.rollingUpdate ??= { maxUnavailable: '25%', maxSurge: '25%' }
    s.revisionHistoryLimit ??= 10
    s.progressDeadlineSeconds ??= 600
  }
  if (kind === 'DaemonSet') {
    s.updateStrategy ??= { type: 'RollingUpdate' }
    s.updateStrategy.type ??= 'RollingUpdate'
    if (s.updateStrategy.type === 'RollingUpdate')
      s.updateStrategy.rollingUpdate ??= { maxUnavailable: 1, maxSurge: 0 }
    s.revisionHistoryLimit ??= 10
  }
  if (s.template?.spec) defaultPodSpec(s.template.spec)
}

// Validates selector, template labels and pod template; returns every problem.
export function validateWorkload(kind: Kind, s: WorkloadSpec): StatusCause[] {
  const errs: StatusCause[] = []
  if (s.replicas !== undefined && (!Number.isInteger(s.replicas) || s.replicas < 0)) {
    errs.push(invalidValue('spec.replicas', s.replicas, 'must be greater than or equal to 0'))
  }
  const labels = s.template?.metadata?.labels ?? {}
  // Template labels and selector labels follow the label rules, as upstream's ValidatePodTemplateSpec checks.
  errs.push(...validateLabels('spec.template.metadata.labels', labels))
  const sel = s.selector
  errs.push(...validateLabels('spec.selector.matchLabels', sel?.matchLabels))
  if (!sel) errs.push(required('spec.selector'))
  else if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
    errs.push(invalidValue('spec.selector', sel, 'empty selector is invalid for deployment'))
  } else {
    let matches: boolean
    try {
      matches = labelSelectorMatcher(sel)(labels)
    } catch (err) {
      if (!(err instanceof StatusError)) throw err
      errs.push(invalidValue('spec.selector', sel, err.message))
      matches = true
    }
    if (!matches) {
      const shown = Object.entries(labels)
        .map(([k, v]) => `"${k}":"${v}"`)
        .join(', ')
      errs.push(
        invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
      )
      errs[errs.length - 1]!.message =
        `spec.template.metadata.labels: Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\``
    }
  }
  if (!s.template) errs.push(required('spec.template'))
  else {
    errs.push(...validatePodSpec(s.template.spec, 'spec.template.spec'))
    const rp = s.template.spec?.restartPolicy
    if (rp && rp !== 'Always') {
      errs.push({
        reason: 'FieldValueNotSupported',
        field: 'spec.template.spec.restartPolicy',
        message: `spec.template.spec.restartPolicy: Unsupported value: "${rp}": supported values: "Always"`,
      })
    }
  }
  return errs
}

// Admission for one apps/v1 workload kind.
export function workloadAdmission(kind: Kind): AdmissionHook {
  const admit = (obj: KubeObject, old?: KubeObject) => {
    if (!obj.spec || typeof obj.spec !== 'object') obj.spec = {}
    const s = obj.spec as WorkloadSpec
    defaultWorkloadSpec(kind, s)
    const errs = validateWorkload(kind, s)
    const oldSel = (old?.spec as WorkloadSpec | undefined)?.selector
    if (old && JSON.stringify(oldSel) !== JSON.stringify(s.selector)) {
      errs.push(invalidValue('spec.selector', s.selector, 'field is immutable'))
    }
    if (errs.length) throw invalid(kind, 'apps', obj.metadata.name ?? '', errs)
    if (!old) obj.status ??= kind === 'DaemonSet' ? {} : { replicas: 0 }
  }
  return { create: (obj) => admit(obj), update: (obj, old) => admit(obj, old) }
}
