// Unknown fields of an object against its kind's OpenAPI schema: what fieldValidation=Strict refuses and Warn reports.
import { buildSchemas, type OpenApiSchema, type SchemaSet } from './openapi-schemas.ts'
import { StatusError } from './status-error.ts'

const sets = new Map<string, SchemaSet>()
function schemaSet(groupVersion: string): SchemaSet {
  let set = sets.get(groupVersion)
  if (!set) sets.set(groupVersion, (set = buildSchemas(groupVersion)))
  return set
}

// The paths (`spec.ports[0].prot`) of fields the kind does not have, in document order; [] for an unknown kind.
export function unknownFields(groupVersion: string, kind: string, obj: unknown): string[] {
  const set = schemaSet(groupVersion)
  const name = set.kinds[`${groupVersion}/${kind}`]
  if (!name) return []
  const out: string[] = []
  walk(set, { $ref: `#/components/schemas/${name}` }, obj, '', out)
  return out
}

// The message upstream's strict decoding gives for them.
export function strictDecodingMessage(kind: string, apiVersion: string, fields: readonly string[]): string {
  const list = fields.map((f) => `unknown field ${JSON.stringify(f)}`).join(', ')
  return `${kind} in version "${apiVersion.split('/').at(-1)}" cannot be handled as a ${kind}: strict decoding error: ${list}`
}

function resolve(set: SchemaSet, schema: OpenApiSchema): OpenApiSchema {
  const ref = (schema.$ref ?? (schema.allOf as OpenApiSchema[] | undefined)?.[0]?.$ref) as string | undefined
  if (!ref) return schema
  return set.schemas[ref.replace('#/components/schemas/', '')] ?? {}
}

function walk(set: SchemaSet, raw: OpenApiSchema, value: unknown, path: string, out: string[]): void {
  const schema = resolve(set, raw)
  if (value === null || typeof value !== 'object' || schema['x-kubernetes-preserve-unknown-fields']) return
  if (Array.isArray(value)) {
    const items = schema.items as OpenApiSchema | undefined
    if (items) value.forEach((v, i) => walk(set, items, v, `${path}[${i}]`, out))
    return
  }
  const props = schema.properties as Record<string, OpenApiSchema> | undefined
  const extra = schema.additionalProperties as OpenApiSchema | undefined
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k
    const field = props?.[k] ?? extra
    if (!field) {
      if (props) out.push(at)
      continue
    }
    walk(set, field, v, at, out)
  }
}

/** Where checkFieldValidation writes `Warning` headers. */
export interface WarningSink {
  appendHeader(name: string, value: string): unknown
}

// Applies ?fieldValidation= to a written object (a patched one against `before`): Strict refuses unknown fields (400), Warn (the default) warns, Ignore ignores.
export function checkFieldValidation(
  res: WarningSink,
  apiVersion: string,
  obj: { kind?: string; [field: string]: unknown },
  kind: string,
  mode: string | undefined,
  before?: unknown,
): void {
  if (mode === 'Ignore' || (obj.kind !== undefined && obj.kind !== kind)) return
  if (mode !== undefined && mode !== 'Strict' && mode !== 'Warn') {
    throw new StatusError(
      400,
      'BadRequest',
      `fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(mode)}`,
    )
  }
  // A patch answers only for the unknown fields it brings, not for what the stored object already had.
  const had = new Set(before === undefined ? [] : unknownFields(apiVersion, kind, before))
  const fields = unknownFields(apiVersion, kind, obj).filter((f) => !had.has(f))
  if (fields.length === 0) return
  if (mode === 'Strict')
    throw new StatusError(400, 'BadRequest', strictDecodingMessage(kind, apiVersion, fields))
  for (const f of fields)
    res.appendHeader('Warning', `299 - ${JSON.stringify(`unknown field ${JSON.stringify(f)}`)}`)
}
