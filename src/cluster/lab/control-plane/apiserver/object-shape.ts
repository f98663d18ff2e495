// The JSON types of the fields the lab reads, checked before admission as Go's typed decoding checks them (400, naming the field).
import { StatusError } from './status-error.ts'
import type { ResourceName } from './store.ts'

// A field's type: a JSON scalar, a map of strings, a list, a struct of known fields, or any object.
type Shape =
  | 'string'
  | 'int'
  | 'bool'
  | 'intOrString'
  | 'object'
  | 'any'
  | { map: 'string' }
  | { list: Shape }
  | { struct: () => Record<string, Shape> }

const str = 'string' as const
const int = 'int' as const
const bool = 'bool' as const
const obj = 'object' as const
const strings: Shape = { list: str }
const stringMap: Shape = { map: str }
const list = (of: Shape): Shape => ({ list: of })
const struct = (fields: () => Record<string, Shape>): Shape => ({ struct: fields })

const OBJECT_META = struct(() => ({
  name: str,
  generateName: str,
  namespace: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: str,
  deletionTimestamp: str,
  deletionGracePeriodSeconds: int,
  labels: stringMap,
  annotations: stringMap,
  finalizers: strings,
  ownerReferences: list(
    struct(() => ({
      apiVersion: str,
      kind: str,
      name: str,
      uid: str,
      controller: bool,
      blockOwnerDeletion: bool,
    })),
  ),
  managedFields: list(obj),
}))
const LABEL_SELECTOR = struct(() => ({
  matchLabels: stringMap,
  matchExpressions: list(struct(() => ({ key: str, operator: str, values: strings }))),
}))
const CONTAINER = struct(() => ({
  name: str,
  image: str,
  imagePullPolicy: str,
  workingDir: str,
  command: strings,
  args: strings,
  ports: list(struct(() => ({ name: str, protocol: str, hostIP: str, containerPort: int, hostPort: int }))),
  env: list(struct(() => ({ name: str, value: str, valueFrom: obj }))),
  resources: obj,
  readinessProbe: obj,
  livenessProbe: obj,
  startupProbe: obj,
  volumeMounts: list(obj),
  securityContext: obj,
  terminationMessagePath: str,
  terminationMessagePolicy: str,
}))
const POD_SPEC = struct(() => ({
  containers: list(CONTAINER),
  initContainers: list(CONTAINER),
  restartPolicy: str,
  dnsPolicy: str,
  nodeName: str,
  nodeSelector: stringMap,
  serviceAccountName: str,
  hostname: str,
  subdomain: str,
  schedulerName: str,
  hostNetwork: bool,
  enableServiceLinks: bool,
  terminationGracePeriodSeconds: int,
  tolerations: list(obj),
  affinity: obj,
  securityContext: obj,
  volumes: list(obj),
}))
const POD_STATUS = struct(() => ({
  phase: str,
  podIP: str,
  hostIP: str,
  podIPs: list(struct(() => ({ ip: str }))),
  conditions: list(obj),
  containerStatuses: list(obj),
}))
const WORKLOAD_SPEC = struct(() => ({
  replicas: int,
  selector: LABEL_SELECTOR,
  template: struct(() => ({ metadata: OBJECT_META, spec: POD_SPEC })),
  strategy: obj,
  updateStrategy: obj,
  minReadySeconds: int,
  revisionHistoryLimit: int,
  progressDeadlineSeconds: int,
  paused: bool,
}))
const SERVICE_SPEC = struct(() => ({
  ports: list(
    struct(() => ({
      name: str,
      protocol: str,
      appProtocol: str,
      port: int,
      nodePort: int,
      targetPort: 'intOrString',
    })),
  ),
  selector: stringMap,
  clusterIP: str,
  clusterIPs: strings,
  type: str,
  externalIPs: strings,
  sessionAffinity: str,
  sessionAffinityConfig: obj,
  loadBalancerIP: str,
  loadBalancerSourceRanges: strings,
  loadBalancerClass: str,
  externalName: str,
  externalTrafficPolicy: str,
  internalTrafficPolicy: str,
  healthCheckNodePort: int,
  publishNotReadyAddresses: bool,
  ipFamilies: strings,
  ipFamilyPolicy: str,
  allocateLoadBalancerNodePorts: bool,
}))
const ENDPOINT_SLICE = {
  addressType: str,
  endpoints: list(
    struct(() => ({
      addresses: strings,
      conditions: struct(() => ({ ready: bool, serving: bool, terminating: bool })),
      hostname: str,
      nodeName: str,
      zone: str,
      targetRef: obj,
    })),
  ),
  ports: list(struct(() => ({ name: str, protocol: str, appProtocol: str, port: int }))),
}

// Top-level fields per resource, besides apiVersion, kind and metadata; unlisted fields may be any JSON.
const TOP: Partial<Record<ResourceName, Record<string, Shape>>> = {
  pods: { spec: POD_SPEC, status: POD_STATUS },
  services: { spec: SERVICE_SPEC, status: obj },
  deployments: { spec: WORKLOAD_SPEC, status: obj },
  replicasets: { spec: WORKLOAD_SPEC, status: obj },
  daemonsets: { spec: WORKLOAD_SPEC, status: obj },
  endpointslices: ENDPOINT_SLICE,
  endpoints: { subsets: list(obj) },
  configmaps: { data: stringMap, binaryData: stringMap, immutable: bool },
  namespaces: { spec: struct(() => ({ finalizers: strings })), status: obj },
  nodes: {
    spec: obj,
    status: struct(() => ({
      addresses: list(struct(() => ({ type: str, address: str }))),
      conditions: list(obj),
    })),
  },
}

const jsonType = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v
const describe = (s: Shape): string =>
  typeof s === 'string'
    ? s === 'int'
      ? 'integer'
      : s
    : 'map' in s
      ? 'map[string]string'
      : 'list' in s
        ? `[]${describe(s.list)}`
        : 'struct'

// Checks one value against its shape; `null` struct fields are dropped as Go's decoder leaves them unset.
function check(v: unknown, shape: Shape, at: string): string | undefined {
  const wrong = () => `${at}: cannot decode ${jsonType(v)} as ${describe(shape)}`
  if (shape === 'any') return undefined
  if (shape === 'string') return typeof v === 'string' ? undefined : wrong()
  if (shape === 'bool') return typeof v === 'boolean' ? undefined : wrong()
  if (shape === 'int') return Number.isSafeInteger(v) ? undefined : wrong()
  if (shape === 'intOrString') return typeof v === 'string' || Number.isSafeInteger(v) ? undefined : wrong()
  if (typeof v !== 'object' || v === null) return wrong()
  if (shape === 'object') return Array.isArray(v) ? wrong() : undefined
  if ('list' in shape) {
    if (!Array.isArray(v)) return wrong()
    for (const [i, item] of v.entries()) {
      const err = check(item, shape.list, `${at}[${i}]`)
      if (err) return err
    }
    return undefined
  }
  if (Array.isArray(v)) return wrong()
  const o = v as Record<string, unknown>
  if ('map' in shape) {
    for (const [k, item] of Object.entries(o)) {
      if (typeof item !== 'string')
        return `${at}[${JSON.stringify(k)}]: cannot decode ${jsonType(item)} as string`
    }
    return undefined
  }
  return checkFields(o, shape.struct(), at)
}

function checkFields(
  o: Record<string, unknown>,
  fields: Record<string, Shape>,
  at: string,
): string | undefined {
  for (const [k, item] of Object.entries(o)) {
    if (item === null) {
      delete o[k]
      continue
    }
    const shape = Object.hasOwn(fields, k) ? fields[k] : undefined
    if (!shape) continue
    const err = check(item, shape, at ? `${at}.${k}` : k)
    if (err) return err
  }
  return undefined
}

// Checks an object's known fields have the JSON types the API defines (dropping null fields); a 400 naming the first wrong field.
export function checkObjectShape(resource: ResourceName, kind: string, apiVersion: string, o: object): void {
  const fields = { apiVersion: str, kind: str, metadata: OBJECT_META, ...TOP[resource] }
  const err = checkFields(o as Record<string, unknown>, fields, '')
  if (err) {
    const field = err.slice(0, err.indexOf(':'))
    throw new StatusError(
      400,
      'BadRequest',
      `${kind} in version "${apiVersion.split('/').pop()}" cannot be handled as a ${kind}: ${err}`,
      { kind, causes: [{ reason: 'FieldValueInvalid', field, message: err }] },
    )
  }
}
