// Pod admission: the API server's defaults and the validation the lab relies on (containers with name and image).
import type { AdmissionHook } from './admission.ts'
import { duplicate, invalidValue, required, unsupported, validateName } from './field-errors.ts'
import { invalid, type StatusCause } from './status-error.ts'
import type { KubeObject } from './store.ts'

interface Container {
  name?: string
  image?: string
  imagePullPolicy?: string
  ports?: { containerPort?: number; protocol?: string; name?: string }[]
  terminationMessagePath?: string
  terminationMessagePolicy?: string
}

/** The parts of a pod spec admission looks at. */
export interface PodSpecLike {
  containers?: Container[]
  initContainers?: Container[]
  restartPolicy?: string
  dnsPolicy?: string
  terminationGracePeriodSeconds?: number
  enableServiceLinks?: boolean
  schedulerName?: string
  securityContext?: object
  serviceAccountName?: string
  [k: string]: unknown
}

// Fills in the defaults the API server sets on a pod spec (also used for workload templates).
export function defaultPodSpec(spec: PodSpecLike): void {
  spec.restartPolicy ??= 'Always'
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.terminationGracePeriodSeconds ??= 30
  spec.enableServiceLinks ??= true
  spec.schedulerName ??= 'default-scheduler'
  spec.securityContext ??= {}
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const p of c.ports ?? []) p.protocol ??= 'TCP'
    c.terminationMessagePath ??= '/dev/termination-log'
    c.terminationMessagePolicy ??= 'File'
    if (c.image && !c.imagePullPolicy) {
      c.imagePullPolicy = /:latest$/.test(c.image) || !/:[^/]+$/.test(c.image) ? 'Always' : 'IfNotPresent'
    }
  }
}

// Validates a pod spec at the given path; returns every problem.
export function validatePodSpec(spec: PodSpecLike | undefined, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  if (!spec?.containers?.length) return [required(`${path}.containers`)]
  const names = new Set<string>()
  spec.containers.forEach((c, i) => {
    const at = `${path}.containers[${i}]`
    if (!c.name) errs.push(required(`${at}.name`))
    else {
      errs.push(...validateName(`${at}.name`, c.name, 'dns1123-label'))
      if (names.has(c.name)) errs.push(duplicate(`${at}.name`, c.name))
      names.add(c.name)
    }
    if (!c.image) errs.push(required(`${at}.image`))
    ;(c.ports ?? []).forEach((p, j) => {
      const pp = `${at}.ports[${j}]`
      const n = p.containerPort
      if (!Number.isInteger(n) || n! < 1 || n! > 65535) {
        errs.push(invalidValue(`${pp}.containerPort`, n ?? 0, 'must be between 1 and 65535, inclusive'))
      }
      if (!['SCTP', 'TCP', 'UDP'].includes(p.protocol!)) {
        errs.push(unsupported(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']))
      }
    })
  })
  if (!['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy!)) {
    errs.push(unsupported(`${path}.restartPolicy`, spec.restartPolicy, ['Always', 'Never', 'OnFailure']))
  }
  const dns = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']
  if (!dns.includes(spec.dnsPolicy!)) errs.push(unsupported(`${path}.dnsPolicy`, spec.dnsPolicy, dns))
  return errs
}

const specOf = (o: KubeObject): PodSpecLike => {
  if (!o.spec || typeof o.spec !== 'object') o.spec = {}
  return o.spec as PodSpecLike
}

// Pod admission: defaults, status.phase Pending on create, validation with field paths.
export function podAdmission(): AdmissionHook {
  return {
    create(obj) {
      const spec = specOf(obj)
      defaultPodSpec(spec)
      spec.serviceAccountName ??= 'default'
      obj.status = { phase: 'Pending', qosClass: 'BestEffort', ...(obj.status as object | undefined) }
      // metadata (the name rule included) is validated by the store for every kind.
      const errs = validatePodSpec(spec, 'spec')
      if (errs.length) throw invalid('Pod', '', obj.metadata.name ?? '', errs)
    },
    update(obj, old) {
      const spec = specOf(obj)
      defaultPodSpec(spec)
      const errs = validatePodSpec(spec, 'spec')
      const oldNode = (old.spec as PodSpecLike | undefined)?.nodeName
      if (oldNode && spec.nodeName !== oldNode) {
        errs.push({
          reason: 'FieldValueForbidden',
          field: 'spec',
          message:
            'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        })
      }
      if (errs.length) throw invalid('Pod', '', obj.metadata.name ?? '', errs)
    },
  }
}
