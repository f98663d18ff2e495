// Decodes the Kubernetes protobuf envelope for the few typed bodies kubectl sends as protobuf (create service/namespace/configmap).
import { StatusError } from './status-error.ts'

type Field =
  | { name: string; t: 'string' | 'int' | 'bool' | 'bytes'; repeated?: boolean }
  | { name: string; t: 'message'; of: () => Schema; repeated?: boolean }
  | { name: string; t: 'map' }
  | { name: string; t: 'intOrString' }
type Schema = Record<number, Field>

const s = (name: string, repeated = false): Field => ({ name, t: 'string', repeated })
const i = (name: string): Field => ({ name, t: 'int' })
const m = (name: string, of: () => Schema, repeated = false): Field => ({ name, t: 'message', of, repeated })
const map = (name: string): Field => ({ name, t: 'map' })

const OWNER_REF: Schema = {
  1: s('kind'),
  3: s('name'),
  4: s('uid'),
  5: s('apiVersion'),
  6: { name: 'controller', t: 'bool' },
  7: { name: 'blockOwnerDeletion', t: 'bool' },
}
const OBJECT_META: Schema = {
  1: s('name'),
  2: s('generateName'),
  3: s('namespace'),
  6: s('resourceVersion'),
  11: map('labels'),
  12: map('annotations'),
  13: m('ownerReferences', () => OWNER_REF, true),
  14: s('finalizers', true),
}
const SERVICE_PORT: Schema = {
  1: s('name'),
  2: s('protocol'),
  3: i('port'),
  4: { name: 'targetPort', t: 'intOrString' },
  5: i('nodePort'),
  6: s('appProtocol'),
}
const SERVICE_SPEC: Schema = {
  1: m('ports', () => SERVICE_PORT, true),
  2: map('selector'),
  3: s('clusterIP'),
  4: s('type'),
  5: s('externalIPs', true),
  7: s('sessionAffinity'),
  8: s('loadBalancerIP'),
  9: s('loadBalancerSourceRanges', true),
  10: s('externalName'),
  11: s('externalTrafficPolicy'),
  12: i('healthCheckNodePort'),
  13: { name: 'publishNotReadyAddresses', t: 'bool' },
  17: s('ipFamilies', true),
  18: s('clusterIPs', true),
  19: s('ipFamilyPolicy'),
  20: { name: 'allocateLoadBalancerNodePorts', t: 'bool' },
  21: s('loadBalancerClass'),
  22: s('internalTrafficPolicy'),
}
const KINDS: Record<string, Schema> = {
  Service: { 1: m('metadata', () => OBJECT_META), 2: m('spec', () => SERVICE_SPEC) },
  Namespace: { 1: m('metadata', () => OBJECT_META), 2: m('spec', () => ({ 1: s('finalizers', true) })) },
  ConfigMap: { 1: m('metadata', () => OBJECT_META), 2: map('data'), 4: { name: 'immutable', t: 'bool' } },
}

class Reader {
  pos = 0
  readonly buf: Uint8Array
  constructor(buf: Uint8Array) {
    this.buf = buf
  }
  varint(): number {
    let result = 0
    let mul = 1
    for (;;) {
      const b = this.buf[this.pos++]
      if (b === undefined) throw new Error('truncated varint')
      result += (b & 0x7f) * mul
      if (b < 0x80) return result
      mul *= 128
    }
  }
  bytes(): Uint8Array {
    const len = this.varint()
    const out = this.buf.subarray(this.pos, this.pos + len)
    if (out.length !== len) throw new Error('truncated field')
    this.pos += len
    return out
  }
  skip(wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.pos += 8
    else if (wire === 2) this.bytes()
    else if (wire === 5) this.pos += 4
    else throw new Error(`unsupported wire type ${wire}`)
  }
}

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8')
// int32/int64 varints: negative values come as 10-byte two's complement.
const signed = (n: number) => (n >= 2 ** 63 ? n - 2 ** 64 : n)

function decode(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf)
  const out: Record<string, unknown> = {}
  while (r.pos < buf.length) {
    const tag = r.varint()
    const f = schema[Math.floor(tag / 8)]
    const wire = tag % 8
    if (!f) {
      r.skip(wire)
      continue
    }
    let v: unknown
    if (f.t === 'string') v = text(r.bytes())
    else if (f.t === 'bytes') v = Buffer.from(r.bytes()).toString('base64')
    else if (f.t === 'int') v = signed(r.varint())
    else if (f.t === 'bool') v = r.varint() !== 0
    else if (f.t === 'message') v = decode(r.bytes(), f.of())
    else if (f.t === 'intOrString') {
      const ios = decode(r.bytes(), { 1: i('type'), 2: i('intVal'), 3: s('strVal') })
      v = ios.type === 1 ? (ios.strVal ?? '') : (ios.intVal ?? 0)
    } else {
      const e = decode(r.bytes(), { 1: s('key'), 2: s('value') })
      const target = (out[f.name] ??= {}) as Record<string, string>
      target[String(e.key ?? '')] = String(e.value ?? '')
      continue
    }
    if ('repeated' in f && f.repeated) ((out[f.name] ??= []) as unknown[]).push(v)
    else out[f.name] = v
  }
  return out
}

// Decodes a `k8s\0`-prefixed protobuf body into a JSON object; 415 for kinds this server cannot read.
export function decodeKubeProtobuf(body: Uint8Array): Record<string, unknown> {
  const magic = [0x6b, 0x38, 0x73, 0x00]
  if (!magic.every((b, k) => body[k] === b))
    throw new StatusError(400, 'BadRequest', 'protobuf body does not start with the k8s envelope magic')
  let unknown: Record<string, unknown>
  try {
    unknown = decode(body.subarray(4), {
      1: m('typeMeta', () => ({ 1: s('apiVersion'), 2: s('kind') })),
      2: { name: 'raw', t: 'bytes' },
    })
  } catch (err) {
    throw new StatusError(400, 'BadRequest', `cannot decode protobuf envelope: ${(err as Error).message}`)
  }
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string }
  const schema = KINDS[typeMeta.kind ?? '']
  if (!schema) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the svcnet lab API server cannot decode protobuf ${typeMeta.kind ?? '(no kind)'} bodies; send JSON`,
    )
  }
  try {
    const obj = decode(Buffer.from(String(unknown.raw ?? ''), 'base64'), schema)
    return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...obj }
  } catch (err) {
    throw new StatusError(
      400,
      'BadRequest',
      `cannot decode protobuf ${typeMeta.kind}: ${(err as Error).message}`,
    )
  }
}
