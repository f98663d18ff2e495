// /openapi/v2 as kubectl reads it (gnostic's OpenAPIv2 protobuf): the v3 schemas as Swagger 2.0 definitions.
// kubectl needs it to validate a `kind: List` file on the client (every other kind is validated on the server).
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire'
import { stringify } from 'yaml'
import { groupVersions } from './discovery.ts'
import { buildSchemas, type OpenApiSchema } from './openapi-schemas.ts'

/** The media type of the protobuf answer (kubectl asks for `…spec.v2@v1.0+protobuf`; Go's mime parser refuses `@`). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'

const V3_REF = '#/components/schemas/'
const V2_REF = '#/definitions/'

// One v3 schema in Swagger 2.0 form: `allOf: [{$ref}]` becomes `$ref`, int-or-string becomes a formatted string.
export function toV2Schema(s: OpenApiSchema): OpenApiSchema {
  const out: OpenApiSchema = {}
  for (const [k, v] of Object.entries(s)) {
    if (k === 'allOf') {
      const ref = (v as OpenApiSchema[])[0]?.$ref
      if (typeof ref === 'string') out.$ref = ref.replace(V3_REF, V2_REF)
    } else if (k === '$ref') out.$ref = String(v).replace(V3_REF, V2_REF)
    else if (k === 'properties')
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, OpenApiSchema>).map(([n, p]) => [n, toV2Schema(p)]),
      )
    else if (k === 'items' || k === 'additionalProperties') out[k] = toV2Schema(v as OpenApiSchema)
    else out[k] = v
  }
  if (out['x-kubernetes-int-or-string']) out.type = 'string'
  return out
}

// Every definition of every served group/version, by name.
export function openApiV2Definitions(): Record<string, OpenApiSchema> {
  const defs: Record<string, OpenApiSchema> = {}
  for (const gv of groupVersions())
    for (const [name, schema] of Object.entries(buildSchemas(gv).schemas)) defs[name] ??= toV2Schema(schema)
  return defs
}

const LD = WireType.LengthDelimited

// Writes a length-delimited sub-message.
function message(w: BinaryWriter, field: number, body: (w: BinaryWriter) => void): void {
  w.tag(field, LD).fork()
  body(w)
  w.join()
}

// openapi.v2.Schema: _ref 1, format 2, description 4, required 19, additional_properties 21, type 22, items 23,
// properties 25, vendor_extension 31 (NamedAny{name 1, value Any{yaml 2}}).
function writeSchema(w: BinaryWriter, s: OpenApiSchema): void {
  if (typeof s.$ref === 'string') w.tag(1, LD).string(s.$ref)
  if (typeof s.format === 'string' && s.format) w.tag(2, LD).string(s.format)
  if (typeof s.description === 'string') w.tag(4, LD).string(s.description)
  for (const r of (s.required as string[] | undefined) ?? []) w.tag(19, LD).string(r)
  const extra = s.additionalProperties as OpenApiSchema | undefined
  if (extra) message(w, 21, (w) => message(w, 1, (w) => writeSchema(w, extra)))
  if (typeof s.type === 'string') message(w, 22, (w) => w.tag(1, LD).string(s.type as string))
  const items = s.items as OpenApiSchema | undefined
  if (items) message(w, 23, (w) => message(w, 1, (w) => writeSchema(w, items)))
  const props = s.properties as Record<string, OpenApiSchema> | undefined
  if (props)
    message(w, 25, (w) => {
      for (const [name, p] of Object.entries(props))
        message(w, 1, (w) => {
          w.tag(1, LD).string(name)
          message(w, 2, (w) => writeSchema(w, p))
        })
    })
  for (const [k, v] of Object.entries(s))
    if (k.startsWith('x-'))
      message(w, 31, (w) => {
        w.tag(1, LD).string(k)
        message(w, 2, (w) => w.tag(2, LD).string(stringify(v)))
      })
}

// The whole document as protobuf: swagger 1, info 2 {title 1, version 2}, definitions 9 {NamedSchema 1}.
export function openApiV2Protobuf(): Uint8Array {
  const w = new BinaryWriter()
  w.tag(1, LD).string('2.0')
  message(w, 2, (w) => {
    w.tag(1, LD).string('Kubernetes')
    w.tag(2, LD).string('v1.34.0-svcnet')
  })
  message(w, 9, (w) => {
    for (const [name, schema] of Object.entries(openApiV2Definitions()))
      message(w, 1, (w) => {
        w.tag(1, LD).string(name)
        message(w, 2, (w) => writeSchema(w, schema))
      })
  })
  return w.finish()
}
