// ObjectMeta validation for every kind, as upstream's ValidateObjectMeta: the name rule per kind, generateName, labels, annotations.
import { invalidValue, nameProblem, type NameRule } from './field-errors.ts'
import type { StatusCause } from './status-error.ts'
import type { KubeObject, ResourceName } from './store.ts'

// The name rule of each resource (upstream's per-kind ValidateXName); the rest use DNS-1123 subdomains.
const NAME_RULE: Partial<Record<ResourceName, NameRule | 'path-segment'>> = {
  namespaces: 'dns1123-label',
  services: 'dns1035',
  // RBAC names only need to be a valid path segment (e.g. `system:node-proxier`).
  clusterroles: 'path-segment',
  clusterrolebindings: 'path-segment',
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
const MAX_ANNOTATIONS_BYTES = 256 * 1024

// Why a name is not a valid path segment (upstream's path.IsValidPathSegmentName), or undefined.
export function pathSegmentProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`
  for (const bad of ['/', '%']) if (name.includes(bad)) return `may not contain '${bad}'`
  return undefined
}

// Checks a name (or a generateName prefix, whose trailing '-' is allowed) against a resource's rule.
export function validateObjectName(
  resource: ResourceName,
  field: string,
  name: string,
  prefix = false,
): StatusCause[] {
  const rule = NAME_RULE[resource] ?? 'dns1123-subdomain'
  if (rule === 'path-segment') {
    const problem = pathSegmentProblem(name)
    return problem ? [invalidValue(field, name, problem)] : []
  }
  // A generateName prefix may end in '-' (upstream masks the trailing dash before checking).
  const problem = nameProblem(prefix && name.endsWith('-') ? `${name.slice(0, -1)}a` : name, rule)
  return problem ? [invalidValue(field, name, problem)] : []
}

// Checks a label or annotation key: an optional DNS subdomain prefix, '/', then a name of at most 63 characters.
function validateQualifiedName(field: string, key: string): StatusCause[] {
  const slash = key.lastIndexOf('/')
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined
  const name = slash >= 0 ? key.slice(slash + 1) : key
  const errs: StatusCause[] = []
  if (prefix !== undefined) {
    if (prefix === '') errs.push(invalidValue(field, key, 'prefix part must be non-empty'))
    else {
      const problem = nameProblem(prefix, 'dns1123-subdomain')
      if (problem) errs.push(invalidValue(field, key, `prefix part ${problem}`))
    }
  }
  if (name === '') errs.push(invalidValue(field, key, 'name part must be non-empty'))
  else if (name.length > 63)
    errs.push(invalidValue(field, key, 'name part must be no more than 63 characters'))
  else if (!QUALIFIED_NAME.test(name)) errs.push(invalidValue(field, key, QUALIFIED_NAME_MSG))
  return errs
}

// Checks a label map: qualified-name keys and values of at most 63 label characters.
export function validateLabels(field: string, labels: Record<string, string> | undefined): StatusCause[] {
  const errs: StatusCause[] = []
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateQualifiedName(field, k))
    if (v.length > 63) errs.push(invalidValue(field, v, 'must be no more than 63 characters'))
    else if (!LABEL_VALUE.test(v)) errs.push(invalidValue(field, v, LABEL_VALUE_MSG))
  }
  return errs
}

// Validates an object's metadata for create (name and generateName) and any write (labels, annotations).
export function validateObjectMeta(
  resource: ResourceName,
  obj: KubeObject,
  creating: boolean,
): StatusCause[] {
  const m = obj.metadata
  const errs: StatusCause[] = []
  if (creating && m.name) errs.push(...validateObjectName(resource, 'metadata.name', m.name))
  if (creating && !m.name && m.generateName)
    errs.push(...validateObjectName(resource, 'metadata.generateName', m.generateName, true))
  errs.push(...validateLabels('metadata.labels', m.labels))
  let size = 0
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    errs.push(...validateQualifiedName('metadata.annotations', k.toLowerCase()))
    size += k.length + v.length
  }
  if (size > MAX_ANNOTATIONS_BYTES) {
    errs.push({
      reason: 'FieldValueTooLong',
      field: 'metadata.annotations',
      message: `metadata.annotations: Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`,
    })
  }
  return errs
}
