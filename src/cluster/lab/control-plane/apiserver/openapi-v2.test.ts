import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire'
import { openApiV2Protobuf, toV2Schema } from './openapi-v2.ts'

// Reads the length-delimited fields of one message as [field number, bytes] pairs.
function fields(bytes: Uint8Array): [number, Uint8Array][] {
  const r = new BinaryReader(bytes)
  const out: [number, Uint8Array][] = []
  while (r.pos < r.len) {
    const [no, type] = r.tag()
    assert.equal(type, WireType.LengthDelimited, `field ${no} is length-delimited`)
    out.push([no, r.bytes()])
  }
  return out
}
const text = (b: Uint8Array) => new TextDecoder().decode(b)
const field = (bytes: Uint8Array, no: number) =>
  fields(bytes)
    .filter(([n]) => n === no)
    .map(([, b]) => b)

test('the protobuf document is Swagger 2.0 whose definitions carry the kinds, their fields and extensions', () => {
  const doc = openApiV2Protobuf()
  assert.equal(text(field(doc, 1)[0]!), '2.0')
  const named = field(field(doc, 9)[0]!, 1).map((ns) => [text(field(ns, 1)[0]!), field(ns, 2)[0]!] as const)
  const svc = named.find(([name]) => name === 'io.k8s.api.core.v1.Service')?.[1]
  assert.ok(svc, `definitions: ${named.map(([n]) => n).join(', ')}`)
  const ext = field(svc, 31).map((na) => [text(field(na, 1)[0]!), text(field(field(na, 2)[0]!, 2)[0]!)])
  assert.deepEqual(ext, [
    ['x-kubernetes-group-version-kind', '- group: ""\n  version: v1\n  kind: Service\n'],
  ])
  const props = field(field(svc, 25)[0]!, 1).map((ns) => text(field(ns, 1)[0]!))
  assert.deepEqual(props, ['apiVersion', 'kind', 'metadata', 'spec', 'status'])
  assert.ok(named.some(([name]) => name === 'io.k8s.api.apps.v1.Deployment'))
})

test('v3 schemas become v2: allOf refs become $ref to #/definitions, int-or-string a formatted string', () => {
  assert.deepEqual(
    toV2Schema({
      type: 'object',
      properties: {
        spec: { description: 'd', allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ServiceSpec' }] },
        ports: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/P' }] } },
      },
    }),
    {
      type: 'object',
      properties: {
        spec: { description: 'd', $ref: '#/definitions/io.k8s.api.core.v1.ServiceSpec' },
        ports: { type: 'array', items: { $ref: '#/definitions/P' } },
      },
    },
  )
  assert.deepEqual(toV2Schema({ format: 'int-or-string', 'x-kubernetes-int-or-string': true }), {
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
    type: 'string',
  })
})
