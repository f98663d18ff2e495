// Random and mutated API requests for the API server's fuzz test: dot segments, bad escapes, odd methods, malformed bodies, patches.

/** One request the fuzzer sends. */
export interface FuzzRequest {
  method: string
  path: string
  contentType?: string
  body?: Buffer
  /** What kind of request this is, for the failure report. */
  label: string
}

const RESOURCES = [
  ['/api/v1', 'pods', 'Pod', 'v1'],
  ['/api/v1', 'services', 'Service', 'v1'],
  ['/api/v1', 'configmaps', 'ConfigMap', 'v1'],
  ['/api/v1', 'endpoints', 'Endpoints', 'v1'],
  ['/api/v1', 'events', 'Event', 'v1'],
  ['/api/v1', 'serviceaccounts', 'ServiceAccount', 'v1'],
  ['/apis/apps/v1', 'deployments', 'Deployment', 'apps/v1'],
  ['/apis/apps/v1', 'replicasets', 'ReplicaSet', 'apps/v1'],
  ['/apis/apps/v1', 'daemonsets', 'DaemonSet', 'apps/v1'],
  ['/apis/discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice', 'discovery.k8s.io/v1'],
] as const

const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']
const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/yaml',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  '',
]
const PATH_JUNK = [
  '..',
  '.',
  '%2E%2E',
  '%2e',
  '%',
  '%zz',
  '%2F',
  '',
  '%00',
  'x:99999',
  '[',
  '~',
  'ü',
  'A'.repeat(300),
  '%E0%A4%A',
  '%25',
]
const QUERY_JUNK = [
  'watch=1&timeoutSeconds=1',
  'watch=true&resourceVersion=abc',
  'watch=1&resourceVersion=999999999',
  'watch=1&resourceVersion=1&timeoutSeconds=1',
  'labelSelector=(((',
  'labelSelector=a%20in%20(b,c),!d',
  'fieldSelector=a==b==c',
  'fieldSelector=metadata.name%3Dx',
  'gracePeriodSeconds=x',
  'gracePeriodSeconds=-5',
  'propagationPolicy=Nope',
  'tailLines=-5',
  'dryRun=All',
  'limit=-1&continue=%%%',
  'resourceVersion=-1',
  'fieldValidation=Strict',
  'includeObject=Object',
  '%zz=%zz',
]
const WEIRD_VALUES: unknown[] = [
  null,
  'x',
  '',
  -1,
  0,
  1.5,
  2 ** 53,
  true,
  [],
  [null],
  {},
  { a: { b: [1, { c: null }] } },
  'A'.repeat(5000),
  '..',
  ['x', 1, null],
]

// Builds request i of a run: a valid request for the fuzzer's namespace, then mutated in its path, query, method or body.
export function fuzzRequest(rand: () => number, namespace: string, i: number): FuzzRequest {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const [prefix, resource, kind, apiVersion] = pick(RESOURCES)
  const name = `f${Math.floor(rand() * 8)}`
  const collection = `${prefix}/namespaces/${namespace}/${resource}`
  const paths = [
    collection,
    `${collection}/${name}`,
    `${collection}/${name}/status`,
    `${collection}/${name}/scale`,
    `${collection}/${name}/log`,
    `${prefix}/${resource}`,
    prefix,
    '/api',
    '/apis',
    '/version',
    '/healthz',
    '/openapi/v2',
    '/',
  ]
  let path = rand() < 0.6 ? paths[Math.floor(rand() * 4)]! : pick(paths)
  let method = pick(METHODS)
  let label = `${method} ${resource}`
  const segments = path.split('/')
  const r = rand()
  if (r < 0.25) {
    // Replace, insert or append a junk segment.
    const at = 1 + Math.floor(rand() * segments.length)
    const junk = pick(PATH_JUNK)
    if (rand() < 0.5) segments.splice(at, 0, junk)
    else segments[Math.min(at, segments.length - 1)] = junk
    path = segments.join('/')
    label += ' junk-segment'
  } else if (r < 0.3) {
    path = path.replace(/\//g, () => (rand() < 0.3 ? '//' : '/'))
    label += ' double-slash'
  } else if (r < 0.35) {
    path = path.slice(0, Math.floor(rand() * path.length)) || '/'
    label += ' truncated-path'
  } else if (r < 0.4) {
    path = path.replace(/[a-z]/g, (c) => (rand() < 0.2 ? `%${c.charCodeAt(0).toString(16)}` : c))
    label += ' escaped'
  }
  if (rand() < 0.3) {
    path += `?${pick(QUERY_JUNK)}`
    label += ' query'
  }
  if (rand() < 0.02) method = pick(['PROPFIND', 'M-SEARCH', 'PURGE', 'CONNECT'])
  // Deleting its own namespace would leave the rest of the run with 403s (no namespace controller here).
  if (method === 'DELETE' && path.split('?')[0]!.replace(/\/+$/, '').endsWith(`/namespaces/${namespace}`))
    method = 'GET'
  const body = fuzzBody(rand, pick, { kind, apiVersion, name, namespace, resource, method, i })
  if (body) label += ` body:${body.label}`
  return { method, path, label, ...(body ? { contentType: body.contentType, body: body.bytes } : {}) }
}

interface BodyContext {
  kind: string
  apiVersion: string
  name: string
  namespace: string
  resource: string
  method: string
  i: number
}

// A body for POST/PUT/PATCH (and sometimes other methods): a valid object, mutated, or garbage.
function fuzzBody(
  rand: () => number,
  pick: <T>(xs: readonly T[]) => T,
  c: BodyContext,
): { contentType: string; bytes: Buffer; label: string } | undefined {
  if (!['POST', 'PUT', 'PATCH'].includes(c.method) && rand() > 0.05) return undefined
  const obj = validObject(c)
  let contentType = c.method === 'PATCH' ? pick(CONTENT_TYPES.slice(3, 7)) : 'application/json'
  if (rand() < 0.1) contentType = pick(CONTENT_TYPES)
  let value: unknown = obj
  let label = 'valid'
  const r = rand()
  if (c.method === 'PATCH' && r < 0.5) {
    value = contentType.includes('json-patch')
      ? randomJsonPatch(rand, pick)
      : mutate(rand, pick, { spec: obj.spec })
    label = 'patch'
  } else if (r < 0.6) {
    value = mutate(rand, pick, obj)
    label = 'mutated'
  } else if (r < 0.65) {
    const kinds = ['Service', 'Pod', 'Namespace', 'Node', 'Scale', 'List', 123]
    value = { ...obj, kind: pick(kinds), apiVersion: pick(['v1', 'apps/v1', 'x/y', '']) }
    label = 'wrong-kind'
  }
  let text = JSON.stringify(value) ?? 'null'
  const g = rand()
  if (g < 0.05) {
    text = text.slice(0, Math.floor(rand() * text.length))
    label += '-truncated'
  } else if (g < 0.07) {
    const depth = pick([50, 999, 1001, 5000, 100_000])
    text = '['.repeat(depth) + ']'.repeat(depth)
    label = `deep-${depth}`
  } else if (g < 0.08) {
    const depth = pick([100, 2000])
    text = Array.from({ length: depth }, (_, k) => `${' '.repeat(k)}a:`).join('\n') + ' 1\n'
    contentType = 'application/yaml'
    label = `deep-yaml-${depth}`
  } else if (g < 0.085) {
    text = `{"metadata":{"name":"${c.name}"},"data":{"k":"${'x'.repeat(pick([1_600_000, 9_000_000]))}"}}`
    label = `huge-${text.length}`
  } else if (g < 0.1) {
    const bytes = Buffer.alloc(4 + Math.floor(rand() * 200))
    for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(rand() * 256)
    if (rand() < 0.5) bytes.set([0x6b, 0x38, 0x73, 0x00])
    return { contentType: pick(CONTENT_TYPES), bytes, label: 'random-bytes' }
  } else if (g < 0.12 && contentType === 'application/json') {
    contentType = 'application/yaml'
    label += '-as-yaml'
  }
  return { contentType, bytes: Buffer.from(text), label }
}

// A well-formed object of the kind, named in the fuzzer's namespace.
function validObject(c: BodyContext): { [k: string]: unknown; spec?: unknown } {
  const metadata = { name: c.name, namespace: c.namespace, labels: { app: 'fuzz' } }
  const podSpec = { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] }
  const template = { metadata: { labels: { app: 'fuzz' } }, spec: podSpec }
  const specs: Record<string, unknown> = {
    Pod: podSpec,
    Service: { selector: { app: 'fuzz' }, ports: [{ port: 80, targetPort: 8080 }] },
    Deployment: { replicas: 1, selector: { matchLabels: { app: 'fuzz' } }, template },
    ReplicaSet: { replicas: 1, selector: { matchLabels: { app: 'fuzz' } }, template },
    DaemonSet: { selector: { matchLabels: { app: 'fuzz' } }, template },
  }
  const base = { apiVersion: c.apiVersion, kind: c.kind, metadata }
  if (c.kind === 'ConfigMap') return { ...base, data: { k: `v${c.i}` } }
  if (c.kind === 'EndpointSlice')
    return { ...base, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5'] }], ports: [{ port: 80 }] }
  return specs[c.kind] ? { ...base, spec: specs[c.kind] } : base
}

// Sets, deletes or replaces a few random fields anywhere in the object.
function mutate(rand: () => number, pick: <T>(xs: readonly T[]) => T, obj: unknown): unknown {
  const copy = structuredClone(obj)
  const rounds = 1 + Math.floor(rand() * 3)
  for (let k = 0; k < rounds; k++) {
    let cur: unknown = copy
    let parent: Record<string, unknown> | unknown[] | undefined
    let key: string | number | undefined
    while (cur && typeof cur === 'object' && rand() < 0.75) {
      const keys: (string | number)[] = Array.isArray(cur) ? cur.map((_, n) => n) : Object.keys(cur)
      if (keys.length === 0) break
      parent = cur as Record<string, unknown>
      key = pick(keys)
      cur = (cur as Record<string | number, unknown>)[key]
    }
    if (parent === undefined || key === undefined) continue
    const p = parent as Record<string | number, unknown>
    if (rand() < 0.2) delete p[key]
    else p[key] = structuredClone(pick(WEIRD_VALUES))
  }
  return copy
}

// A JSON patch of a few random operations on plausible and implausible paths.
function randomJsonPatch(rand: () => number, pick: <T>(xs: readonly T[]) => T): unknown {
  const paths = [
    '',
    '/',
    '/metadata',
    '/metadata/name',
    '/metadata/namespace',
    '/spec',
    '/spec/ports/0',
    '/spec/ports/-',
    '/spec/replicas',
    '/metadata/labels/a~1b',
    '/kind',
    '/status',
    '/x/y/z',
    'nope',
    '/spec/containers/99',
  ]
  const ops = ['add', 'remove', 'replace', 'move', 'copy', 'test', 'frobnicate']
  return Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
    const op: Record<string, unknown> = { op: pick(ops), path: pick(paths) }
    if (rand() < 0.8) op.value = structuredClone(pick(WEIRD_VALUES))
    if (rand() < 0.3) op.from = pick(paths)
    return rand() < 0.05 ? pick(WEIRD_VALUES) : op
  })
}
