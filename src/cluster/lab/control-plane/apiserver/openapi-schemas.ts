// OpenAPI v3 component schemas of the served kinds, derived from @kubernetes/client-node's generated models.
// Each model's file is loaded on its own when first needed: the package's index costs ≈ 0.4 CPU-s and ≈ 65 MB,
// and the daemon needs only a few dozen of its classes (for the first write's field validation and /openapi).
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { modelDocs } from './model-docs.ts'
import { RESOURCES, type ResourceInfo } from './resources.ts'

/** One OpenAPI v3 schema object (the subset the lab writes). */
export type OpenApiSchema = Record<string, unknown>

interface Attribute {
  baseName: string
  type: string
  format: string
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'
// Types that live in apimachinery's meta/v1 package rather than in an API group.
const META_TYPES = new Set([
  'ObjectMeta',
  'ListMeta',
  'LabelSelector',
  'LabelSelectorRequirement',
  'OwnerReference',
  'ManagedFieldsEntry',
  'Condition',
  'MicroTime',
  'Time',
])

// The client-node class of a kind (`Event` is `CoreV1Event` there).
export function modelClassName(kind: string): string {
  return kind === 'Event' ? 'CoreV1Event' : `V1${kind}`
}

const MODELS_DIR = fileURLToPath(new URL('./gen/models/', import.meta.resolve('@kubernetes/client-node')))
const requireModel = createRequire(import.meta.url)

// The attribute map of one generated model class, from its own file (require of an ES module: synchronous).
function attributes(className: string): Attribute[] | undefined {
  const file = join(MODELS_DIR, `${className}.js`)
  if (!/^\w+$/.test(className) || !existsSync(file)) return undefined
  const mod = requireModel(file) as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>
  const cls = mod[className]
  return typeof cls?.getAttributeTypeMap === 'function' ? cls.getAttributeTypeMap() : undefined
}

const shortName = (className: string) => className.replace(/^(?:[A-Z][a-z]+)?V\d+(?:(?:alpha|beta)\d+)?/, '')

// The OpenAPI name of a schema: the real package path for the top-level kind, its group's path for nested types.
function schemaName(className: string, packagePrefix: string): string {
  const s = shortName(className)
  return META_TYPES.has(s) ? `${META}${s}` : `${packagePrefix}${s}`
}

function packagePrefix(info: Pick<ResourceInfo, 'group'>): string {
  if (info.group === '') return 'io.k8s.api.core.v1.'
  return `io.k8s.api.${info.group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '')}.v1.`
}

/** Component schemas keyed by name, plus the kind → name index. */
export interface SchemaSet {
  schemas: Record<string, OpenApiSchema>
  /** `group/version/Kind` → component name. */
  kinds: Record<string, string>
}

// Builds the schemas of every served kind of one group/version (`v1`, `apps/v1`), with everything they reference.
export function buildSchemas(groupVersion: string): SchemaSet {
  const schemas: Record<string, OpenApiSchema> = {
    // No `type`: kubectl explain then shows the field as <IntOrString>.
    [INT_OR_STRING]: { format: 'int-or-string', 'x-kubernetes-int-or-string': true },
  }
  const kinds: Record<string, string> = {}
  for (const info of Object.values(RESOURCES).filter((r) => r.apiVersion === groupVersion)) {
    const prefix = packagePrefix(info)
    const name = addModel(schemas, modelClassName(info.kind), prefix)
    if (!name) continue
    schemas[name] = {
      ...schemas[name],
      'x-kubernetes-group-version-kind': [{ group: info.group, version: info.version, kind: info.kind }],
    }
    kinds[`${groupVersion}/${info.kind}`] = name
  }
  return { schemas, kinds }
}

// Adds one model (and, depth first, the models it uses); returns its component name.
function addModel(
  schemas: Record<string, OpenApiSchema>,
  className: string,
  prefix: string,
): string | undefined {
  const attrs = attributes(className)
  if (!attrs) return undefined
  const name = schemaName(className, prefix)
  if (schemas[name]) return name
  const docs = modelDocs(className)
  const properties: Record<string, OpenApiSchema> = {}
  const required = attrs.filter((a) => docs.fields[a.baseName]?.required).map((a) => a.baseName)
  schemas[name] = {
    ...(docs.description ? { description: docs.description } : {}),
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  }
  for (const a of attrs) {
    const description = docs.fields[a.baseName]?.description
    properties[a.baseName] = {
      ...(description ? { description } : {}),
      ...typeSchema(schemas, a.type, a.format, prefix),
    }
  }
  return name
}

// The schema of one client-node type string (`string`, `Array<V1Foo>`, `{ [key: string]: string; }`, …).
function typeSchema(
  schemas: Record<string, OpenApiSchema>,
  type: string,
  format: string,
  prefix: string,
): OpenApiSchema {
  const array = /^Array<(.+)>$/.exec(type)
  if (array) return { type: 'array', items: typeSchema(schemas, array[1]!, '', prefix) }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type)
  if (map) return { type: 'object', additionalProperties: typeSchema(schemas, map[1]!, '', prefix) }
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' }
    case 'number':
      return format === 'int32' || format === 'int64'
        ? { type: 'integer', format }
        : { type: 'number', format: 'double' }
    case 'boolean':
      return { type: 'boolean' }
    case 'Date':
      return { type: 'string', format: 'date-time' }
    case 'IntOrString':
      return { allOf: [{ $ref: `#/components/schemas/${INT_OR_STRING}` }] }
    case 'any':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
  }
  const ref = addModel(schemas, type, prefix)
  if (!ref) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
  return { allOf: [{ $ref: `#/components/schemas/${ref}` }] }
}
