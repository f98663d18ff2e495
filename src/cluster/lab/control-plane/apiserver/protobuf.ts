// Decodes the Kubernetes protobuf envelope for the typed bodies kubectl sends as protobuf (create service, namespace, configmap, deployment).
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire'
import { StatusError } from './status-error.ts'

// A field of a message: its JSON name and how its value is encoded. `omitZero` drops 0/false as Go's `omitempty` does.
type Field =
  | { name: string; t: 'string' | 'bytes'; repeated?: boolean }
  | { name: string; t: 'int' | 'bool'; omitZero?: boolean }
  | { name: string; t: 'message'; of: () => Schema; repeated?: boolean }
  | { name: string; t: 'map' }
  | { name: string; t: 'intOrString' }
type Schema = Record<number, Field>

const s = (name: string, repeated = false): Field => ({ name, t: 'string', repeated })
const i = (name: string, omitZero = false): Field => ({ name, t: 'int', omitZero })
const b = (name: string, omitZero = true): Field => ({ name, t: 'bool', omitZero })
const m = (name: string, of: () => Schema, repeated = false): Field => ({ name, t: 'message', of, repeated })
const map = (name: string): Field => ({ name, t: 'map' })
const ios = (name: string): Field => ({ name, t: 'intOrString' })

// Field numbers below are those of k8s.io/api's generated.proto files.
const OWNER_REF: Schema = {
  1: s('kind'),
  3: s('name'),
  4: s('uid'),
  5: s('apiVersion'),
  6: b('controller', false),
  7: b('blockOwnerDeletion', false),
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
  4: ios('targetPort'),
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
  13: b('publishNotReadyAddresses'),
  17: s('ipFamilies', true),
  18: s('clusterIPs', true),
  19: s('ipFamilyPolicy'),
  20: b('allocateLoadBalancerNodePorts', false),
  21: s('loadBalancerClass'),
  22: s('internalTrafficPolicy'),
}
const LABEL_SELECTOR: Schema = {
  1: map('matchLabels'),
  2: m('matchExpressions', () => ({ 1: s('key'), 2: s('operator'), 3: s('values', true) }), true),
}
const CONTAINER_PORT: Schema = {
  1: s('name'),
  2: i('hostPort', true),
  3: i('containerPort'),
  4: s('protocol'),
  5: s('hostIP'),
}
const CONTAINER: Schema = {
  1: s('name'),
  2: s('image'),
  3: s('command', true),
  4: s('args', true),
  5: s('workingDir'),
  6: m('ports', () => CONTAINER_PORT, true),
  7: m('env', () => ({ 1: s('name'), 2: s('value') }), true),
  8: m('resources', () => ({})),
  13: s('terminationMessagePath'),
  14: s('imagePullPolicy'),
  16: b('stdin'),
  18: b('tty'),
}
const POD_SPEC: Schema = {
  2: m('containers', () => CONTAINER, true),
  3: s('restartPolicy'),
  4: i('terminationGracePeriodSeconds'),
  6: s('dnsPolicy'),
  7: map('nodeSelector'),
  8: s('serviceAccountName'),
  10: s('nodeName'),
  11: b('hostNetwork'),
  16: s('hostname'),
  17: s('subdomain'),
  19: s('schedulerName'),
  20: m('initContainers', () => CONTAINER, true),
}
const POD_TEMPLATE: Schema = { 1: m('metadata', () => OBJECT_META), 2: m('spec', () => POD_SPEC) }
const DEPLOYMENT_SPEC: Schema = {
  1: i('replicas'),
  2: m('selector', () => LABEL_SELECTOR),
  3: m('template', () => POD_TEMPLATE),
  4: m('strategy', () => ({
    1: s('type'),
    2: m('rollingUpdate', () => ({ 1: ios('maxUnavailable'), 2: ios('maxSurge') })),
  })),
  5: i('minReadySeconds', true),
  6: i('revisionHistoryLimit'),
  7: b('paused'),
  9: i('progressDeadlineSeconds'),
}
const KINDS: Record<string, Schema> = {
  Service: { 1: m('metadata', () => OBJECT_META), 2: m('spec', () => SERVICE_SPEC) },
  Namespace: { 1: m('metadata', () => OBJECT_META), 2: m('spec', () => ({ 1: s('finalizers', true) })) },
  ConfigMap: { 1: m('metadata', () => OBJECT_META), 2: map('data'), 4: b('immutable', false) },
  Deployment: { 1: m('metadata', () => OBJECT_META), 2: m('spec', () => DEPLOYMENT_SPEC) },
}

const WIRE: Record<Field['t'], WireType> = {
  string: WireType.LengthDelimited,
  bytes: WireType.LengthDelimited,
  message: WireType.LengthDelimited,
  map: WireType.LengthDelimited,
  intOrString: WireType.LengthDelimited,
  int: WireType.Varint,
  bool: WireType.Varint,
}

// Decodes one message by its schema; unknown fields are skipped, empty strings dropped (Go's omitempty).
function decode(buf: Uint8Array, schema: Schema, path: string): Record<string, unknown> {
  const r = new BinaryReader(buf)
  const out: Record<string, unknown> = {}
  while (r.pos < r.len) {
    const [no, wire] = r.tag()
    const f = Object.hasOwn(schema, no) ? schema[no] : undefined
    if (!f) {
      r.skip(wire, no)
      continue
    }
    const at = path ? `${path}.${f.name}` : f.name
    if (wire !== WIRE[f.t]) throw new Error(`${at}: wire type ${wire}, want ${WIRE[f.t]}`)
    let v: unknown
    if (f.t === 'string') v = r.string()
    else if (f.t === 'bytes') v = Buffer.from(r.bytes()).toString('base64')
    else if (f.t === 'int') v = Number(r.int64())
    else if (f.t === 'bool') v = r.bool()
    else if (f.t === 'message') v = decode(r.bytes(), f.of(), at)
    else if (f.t === 'intOrString') {
      const u = decode(r.bytes(), { 1: i('type'), 2: i('intVal'), 3: s('strVal') }, at)
      v = u.type === 1 ? (u.strVal ?? '') : (u.intVal ?? 0)
    } else {
      const e = decode(r.bytes(), { 1: s('key'), 2: s('value') }, at)
      const target = (out[f.name] ??= {}) as Record<string, string>
      target[String(e.key ?? '')] = String(e.value ?? '')
      continue
    }
    if (v === '' && f.t === 'string' && !f.repeated) continue
    if ((v === 0 || v === false) && 'omitZero' in f && f.omitZero) continue
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
    unknown = decode(
      body.subarray(4),
      { 1: m('typeMeta', () => ({ 1: s('apiVersion'), 2: s('kind') })), 2: { name: 'raw', t: 'bytes' } },
      '',
    )
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
    const obj = decode(Buffer.from(String(unknown.raw ?? ''), 'base64'), schema, '')
    return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...obj }
  } catch (err) {
    throw new StatusError(
      400,
      'BadRequest',
      `cannot decode protobuf ${typeMeta.kind}: ${(err as Error).message}`,
    )
  }
}
