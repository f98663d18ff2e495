import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { connect } from 'node:net'
import { MemoryStore } from './memory-store.ts'
import { startApiServer, type ApiServer } from './server.ts'

let server: ApiServer
let store: MemoryStore
const logged: string[] = []

before(async () => {
  store = new MemoryStore()
  server = await startApiServer({ store, log: (l) => logged.push(l), maxWatchBacklogBytes: 256 * 1024 })
})
after(() => server.close())

interface Answer {
  status: number
  body: string
  json: {
    kind?: string
    code?: number
    reason?: string
    message?: string
    details?: { causes?: { field?: string }[] }
  }
}

// Sends the request target exactly as given (fetch would normalise `..` and `//`).
function raw(method: string, path: string, body?: string, contentType = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: body === undefined ? {} : { 'Content-Type': contentType },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => {
          let json: Answer['json'] = {}
          try {
            json = JSON.parse(text) as Answer['json']
          } catch {
            // not JSON (e.g. /healthz): the test looks at body
          }
          resolve({ status: res.statusCode ?? 0, body: text, json })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const configMap = (ns: string, name: string) =>
  store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } })
const createNs = (name: string) =>
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })

test('paths that once threw outside the error handling get a Status and the server keeps answering', async () => {
  for (const path of [
    '//',
    '//x:99999',
    '//[',
    '//x',
    '/%',
    '/api/v1/namespaces/%zz/pods',
    '/api/v1/%E0%A4%A',
  ]) {
    const a = await raw('GET', path)
    assert.ok(a.status === 400 || a.status === 404, `${path}: ${a.status} ${a.body}`)
    assert.equal(a.json.kind, 'Status', path)
  }
  assert.equal((await raw('GET', '/healthz')).body, 'ok')
})

test('`..` and `.` segments, raw or escaped, touch nothing: DELETE …/configmaps/%2E%2E does not delete the namespace', async () => {
  createNs('dots')
  configMap('dots', 'keep')
  for (const name of ['..', '%2E%2E', '%2e%2e', '.', '%2E', 'a%2Fb']) {
    const a = await raw('DELETE', `/api/v1/namespaces/dots/configmaps/${name}`)
    assert.equal(a.status, 400, `${name}: ${a.body}`)
    assert.equal(a.json.reason, 'BadRequest')
  }
  assert.equal(
    (await raw('DELETE', '/api/v1/namespaces/dots/configmaps/keep/../../../../namespaces/dots')).status,
    400,
  )
  assert.ok(store.get('namespaces', undefined, 'dots'), 'the namespace is still there')
  assert.equal(store.get('namespaces', undefined, 'dots')!.metadata.deletionTimestamp, undefined)
  assert.ok(store.get('configmaps', 'dots', 'keep'))
})

test('names are validated for every kind as upstream does', async () => {
  const post = (path: string, obj: object) => raw('POST', path, JSON.stringify(obj))
  const cases: [string, object, RegExp][] = [
    [
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: '..' } },
      /metadata\.name: Invalid value: "\.\."/,
    ],
    [
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: 'a/b' } },
      /metadata\.name: Invalid value: "a\/b"/,
    ],
    [
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: 'x'.repeat(300) } },
      /must be no more than 253 characters/,
    ],
    ['/api/v1/namespaces', { metadata: { name: 'Upper' } }, /RFC 1123 label/],
    ['/api/v1/namespaces', { metadata: { name: 'a.b' } }, /RFC 1123 label/],
    ['/apis/apps/v1/namespaces/default/deployments', { metadata: { name: 'Web' } }, /RFC 1123 subdomain/],
    [
      '/api/v1/namespaces/default/services',
      { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } },
      /DNS-1035 label/,
    ],
    ['/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'a%b' } }, /may not contain '%'/],
    [
      '/api/v1/namespaces/default/configmaps',
      { metadata: { generateName: 'Bad-' } },
      /metadata\.generateName: Invalid value: "Bad-"/,
    ],
    [
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: 'l', labels: { 'a b': 'x' } } },
      /metadata\.labels: Invalid value: "a b": name part/,
    ],
    [
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: 'l', labels: { ok: 'v'.repeat(64) } } },
      /must be no more than 63 characters/,
    ],
    [
      '/api/v1/namespaces/default/configmaps',
      { metadata: { name: 'l', labels: { 'Bad_/x': 'v' } } },
      /prefix part/,
    ],
  ]
  for (const [path, obj, message] of cases) {
    const a = await post(path, obj)
    assert.equal(a.status, 422, `${JSON.stringify(obj)}: ${a.body}`)
    assert.match(a.json.message ?? '', message)
  }
  const ok = await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    metadata: { name: 'system:node-proxier' },
  })
  assert.equal(ok.status, 201, ok.body)
  const gen = await post('/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'ok-' } })
  assert.equal(gen.status, 201, gen.body)
  const objLabel = await post('/api/v1/namespaces/default/configmaps', {
    metadata: { name: 'o', labels: { a: { b: 1 } } },
  })
  assert.equal(objLabel.status, 400, objLabel.body)
  assert.match(objLabel.json.message ?? '', /metadata\.labels\["a"\]: cannot decode object as string/)
})

test('malformed bodies get 400 naming the field, never a 500 or a stack trace', async () => {
  const bodies: [string, string, string][] = [
    ['/api/v1/namespaces/default/services', '{"metadata":{"name":"s1"},"spec":{"ports":"x"}}', 'spec.ports'],
    [
      '/api/v1/namespaces/default/services',
      '{"metadata":{"name":"s2"},"spec":{"ports":[null]}}',
      'spec.ports[0]',
    ],
    ['/api/v1/namespaces/default/services', '{"metadata":"x"}', 'metadata'],
    [
      '/api/v1/namespaces/default/pods',
      '{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":"80"}]}]}}',
      'spec.containers[0].ports[0].containerPort',
    ],
    [
      '/apis/apps/v1/namespaces/default/deployments',
      '{"metadata":{"name":"d"},"spec":{"replicas":1.5}}',
      'spec.replicas',
    ],
  ]
  for (const [path, body, field] of bodies) {
    const a = await raw('POST', path, body)
    assert.equal(a.status, 400, `${body}: ${a.body}`)
    assert.equal(a.json.details?.causes?.[0]?.field, field, a.body)
    assert.doesNotMatch(a.body, /\.ts:\d+|node:internal|at /, 'no stack trace')
  }
  const deep = await raw(
    'POST',
    '/api/v1/namespaces/default/configmaps',
    '['.repeat(100_000) + ']'.repeat(100_000),
  )
  assert.equal(deep.status, 400)
  assert.match(deep.json.message ?? '', /nests deeper than 1000 levels/)
  const deepYaml = await raw(
    'POST',
    '/api/v1/namespaces/default/configmaps',
    '['.repeat(5000),
    'application/yaml',
  )
  assert.equal(deepYaml.status, 400)
  const wrongGroup = await raw(
    'POST',
    '/api/v1/namespaces/default/services',
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Service',
      metadata: { name: 'g' },
      spec: { ports: [{ port: 80 }] },
    }),
  )
  assert.equal(wrongGroup.status, 400, wrongGroup.body)
  assert.match(wrongGroup.json.message ?? '', /does not match the expected API version \(v1\)/)
  configMap('default', 'patched')
  const ssa = await raw(
    'PATCH',
    '/api/v1/namespaces/default/configmaps/patched',
    'a: b\n',
    'application/apply-patch+yaml',
  )
  assert.equal(
    ssa.status,
    400,
    'server-side apply without a fieldManager is refused for that, not as bad JSON',
  )
  assert.match(ssa.json.message ?? '', /PATCH \/apply requires fieldManager/)
  assert.deepEqual(logged, [], 'no internal errors')
})

test('YAML bodies are parsed off the event loop: slow documents do not stall /healthz', async () => {
  let flow = '['
  while (flow.length < 400_000) flow += '[1, 2, 3, {a: b}], '
  flow += ']'
  const started = Date.now()
  const slow = Array.from({ length: 2 }, () =>
    raw('POST', '/api/v1/namespaces/default/configmaps', flow, 'application/yaml'),
  )
  const health = await raw('GET', '/healthz')
  const healthMs = Date.now() - started
  assert.equal(health.body, 'ok')
  for (const a of await Promise.all(slow)) assert.ok(a.status === 400 || a.status === 429, a.body)
  assert.ok(healthMs < 1000, `/healthz took ${healthMs}ms while YAML was parsed`)
  const good = await raw(
    'POST',
    '/api/v1/namespaces/default/configmaps',
    'metadata:\n  name: from-yaml\ndata:\n  k: v\n',
    'application/yaml',
  )
  assert.equal(good.status, 201, good.body)
})

test('a watch from a future resourceVersion is a 504 Too large resource version', async () => {
  const a = await raw(
    'GET',
    `/api/v1/configmaps?watch=1&resourceVersion=${Number(store.resourceVersion) + 100}`,
  )
  assert.equal(a.status, 504, a.body)
  assert.match(a.json.message ?? '', /Too large resource version/)
})

test('a watcher that stops reading is dropped once its backlog passes the limit', async () => {
  createNs('flood')
  const socket = connect(server.port, '127.0.0.1')
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()))
  socket.write(`GET /api/v1/namespaces/flood/configmaps?watch=1 HTTP/1.1\r\nHost: x\r\n\r\n`)
  await answered
  socket.pause()
  const big = 'x'.repeat(64 * 1024)
  const events = 400 // 25 MiB: far past the 256 KiB limit plus the kernel's socket buffers
  for (let i = 0; i < events; i++) {
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `f${i}`, namespace: 'flood' },
      data: { big },
    })
    await new Promise((r) => setImmediate(r))
  }
  let received = 0
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.on('data', (c: Buffer) => (received += c.length))
  socket.on('error', () => {}) // a reset is one way the server drops it
  socket.resume()
  await closed
  assert.ok(received < events * big.length, `the client got ${received} bytes of ${events * big.length}`)
  assert.equal((await raw('GET', '/healthz')).body, 'ok')
})

test('deletecollection is refused across all namespaces and for namespaces, as upstream', async () => {
  createNs('dc')
  configMap('dc', 'one')
  assert.equal((await raw('DELETE', '/api/v1/configmaps')).status, 405)
  assert.equal((await raw('DELETE', '/api/v1/namespaces')).status, 405)
  assert.ok(store.get('configmaps', 'dc', 'one'))
  assert.equal(store.get('namespaces', undefined, 'dc')!.metadata.deletionTimestamp, undefined)
  assert.equal((await raw('DELETE', '/api/v1/namespaces/dc/configmaps')).status, 200)
  assert.equal(store.get('configmaps', 'dc', 'one'), undefined)
})

test('a patch that turns metadata or the whole object into something else is a 400, not a 500', async () => {
  configMap('default', 'morph')
  const cases: [string, string][] = [
    ['application/merge-patch+json', '{"metadata":"AAAA"}'],
    ['application/json-patch+json', '[{"op":"replace","path":"/metadata","value":[1]}]'],
    ['application/json-patch+json', '[{"op":"replace","path":"","value":null}]'],
    ['application/strategic-merge-patch+json', '{"metadata":{"labels":{"a":{"b":1}}}}'],
  ]
  for (const [type, body] of cases) {
    const a = await raw('PATCH', '/api/v1/namespaces/default/configmaps/morph', body, type)
    assert.equal(a.status, 400, `${type} ${body}: ${a.body}`)
  }
  createNs('scaled')
  store.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'scaled' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  })
  const scale = await raw(
    'PATCH',
    '/apis/apps/v1/namespaces/scaled/deployments/d/scale',
    '[{"op":"replace","path":"","value":null}]',
    'application/json-patch+json',
  )
  assert.equal(scale.status, 400, scale.body)
  assert.deepEqual(logged, [], 'no internal errors')
})
