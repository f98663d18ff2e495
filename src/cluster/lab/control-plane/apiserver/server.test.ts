import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import {
  ApiException,
  CoreV1Api,
  AppsV1Api,
  KubeConfig,
  Watch,
  makeInformer,
  type V1Service,
} from '@kubernetes/client-node'
import { run } from '../../../../exec/run.ts'
import { waitFor } from '../../../../wait/wait-for.ts'
import { MemoryStore } from './memory-store.ts'
import { startApiServer, type ApiServer } from './server.ts'

let server: ApiServer
let store: MemoryStore
let core: CoreV1Api
let apps: AppsV1Api
let kc: KubeConfig

before(async () => {
  store = new MemoryStore()
  store.create('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'lab-control-plane', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.34.0-svcnet' },
    },
  })
  server = await startApiServer({
    store,
    port: 0,
    bookmarkIntervalMs: 50,
    podLogs: {
      read: async (ns, pod, container, o) =>
        `log of ${ns}/${pod}/${container ?? '-'} tail=${o.tailLines ?? '-'}${o.timestamps ? ' timestamps' : ''}\n`,
    },
  })
  kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'lab', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'lab', cluster: 'lab', user: 'u' }],
    currentContext: 'lab',
  })
  core = kc.makeApiClient(CoreV1Api)
  apps = kc.makeApiClient(AppsV1Api)
})
after(() => server.close())

const svc = (name: string, spec: V1Service['spec']): V1Service => ({ metadata: { name }, spec })
const apiError = async (
  p: Promise<unknown>,
): Promise<{ code: number; body: { message: string; reason: string } }> => {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof ApiException, `expected ApiException, got ${String(err)}`)
    return { code: err.code, body: typeof err.body === 'string' ? JSON.parse(err.body) : err.body }
  }
  assert.fail('expected the request to fail')
}

test('CoreV1Api create, read, list with selector, patch and delete', async () => {
  const created = await core.createNamespacedService({
    namespace: 'default',
    body: {
      ...svc('web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }),
      metadata: { name: 'web', labels: { tier: 'fe' } },
    },
  })
  assert.match(created.spec!.clusterIP!, /^10\.96\./)
  assert.equal(created.kind, 'Service')
  const read = await core.readNamespacedService({ name: 'web', namespace: 'default' })
  assert.equal(read.metadata!.uid, created.metadata!.uid)
  const list = await core.listNamespacedService({ namespace: 'default', labelSelector: 'tier=fe' })
  assert.deepEqual(
    list.items.map((s) => s.metadata!.name),
    ['web'],
  )
  assert.ok(Number(list.metadata!.resourceVersion) > 0)
  const all = await core.listServiceForAllNamespaces({ fieldSelector: 'metadata.name=web' })
  assert.equal(all.items.length, 1)
  const patched = await core.patchNamespacedService({
    name: 'web',
    namespace: 'default',
    body: [{ op: 'add', path: '/metadata/labels/extra', value: 'yes' }],
  })
  assert.equal(patched.metadata!.labels!.extra, 'yes')
  assert.equal(
    patched.spec!.ports![0]!.nodePort,
    created.spec!.ports![0]!.nodePort,
    'allocations survive a patch',
  )
  const smp = await fetch(`${server.url}/api/v1/namespaces/default/services/web`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
    body: JSON.stringify({ spec: { ports: [{ port: 443, name: 'https' }] } }),
  })
  assert.equal(smp.status, 422, 'a second port without a name for the first is invalid')
  const merge = await fetch(`${server.url}/api/v1/namespaces/default/services/web`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { labels: { extra: null } } }),
  })
  assert.equal(((await merge.json()) as V1Service).metadata!.labels!.extra, undefined)
  await core.deleteNamespacedService({ name: 'web', namespace: 'default' })
  const gone = await apiError(core.readNamespacedService({ name: 'web', namespace: 'default' }))
  assert.equal(gone.code, 404)
  assert.equal(gone.body.message, 'services "web" not found')
})

test('422 with the upstream message for a taken nodePort; 409 for a duplicate name', async () => {
  await core.createNamespacedService({
    namespace: 'default',
    body: svc('one', { type: 'NodePort', ports: [{ port: 80, nodePort: 32233 }] }),
  })
  const taken = await apiError(
    core.createNamespacedService({
      namespace: 'default',
      body: svc('two', { type: 'NodePort', ports: [{ port: 80, nodePort: 32233 }] }),
    }),
  )
  assert.equal(taken.code, 422)
  assert.equal(
    taken.body.message,
    'Service "two" is invalid: spec.ports[0].nodePort: Invalid value: 32233: provided port is already allocated',
  )
  assert.equal(taken.body.reason, 'Invalid')
  const dup = await apiError(
    core.createNamespacedService({ namespace: 'default', body: svc('one', { ports: [{ port: 80 }] }) }),
  )
  assert.equal(dup.code, 409)
  assert.equal(dup.body.message, 'services "one" already exists')
  const stale = await core.readNamespacedService({ name: 'one', namespace: 'default' })
  await core.replaceNamespacedService({
    name: 'one',
    namespace: 'default',
    body: { ...stale, metadata: { ...stale.metadata, labels: { a: 'b' } } },
  })
  const conflict = await apiError(
    core.replaceNamespacedService({ name: 'one', namespace: 'default', body: stale }),
  )
  assert.equal(conflict.code, 409)
  await core.deleteNamespacedService({ name: 'one', namespace: 'default' })
})

test('a Watch streams ADDED, MODIFIED, DELETED and resumes from a list resourceVersion', async () => {
  const list = await core.listNamespacedConfigMap({ namespace: 'default' })
  const seen: string[] = []
  const watch = new Watch(kc)
  const req = await watch.watch(
    '/api/v1/namespaces/default/configmaps',
    { resourceVersion: list.metadata!.resourceVersion, allowWatchBookmarks: true },
    (type, obj: { metadata: { name: string } }) =>
      seen.push(`${type} ${type === 'BOOKMARK' ? '' : obj.metadata.name}`),
    () => {},
  )
  // Written before the watch connects but after the list: must not be missed.
  store.create('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c1', namespace: 'default' },
  })
  await core.patchNamespacedConfigMap({
    name: 'c1',
    namespace: 'default',
    body: [{ op: 'add', path: '/data', value: { a: 'b' } }],
  })
  await core.deleteNamespacedConfigMap({ name: 'c1', namespace: 'default' })
  await waitFor({
    what: 'watch events for c1 and a bookmark',
    timeoutMs: 5000,
    intervalMs: 20,
    check: async () =>
      seen.filter((s) => s.endsWith('c1')).length === 3 && seen.includes('BOOKMARK ')
        ? { done: true, value: true }
        : { done: false, seen: seen.join('; ') },
  })
  req.abort()
  assert.deepEqual(
    seen.filter((s) => s.endsWith('c1')),
    ['ADDED c1', 'MODIFIED c1', 'DELETED c1'],
  )
})

test('a too-old resourceVersion gets a 410 ERROR event', async () => {
  const small = new MemoryStore({ historyWindow: 2 })
  const s2 = await startApiServer({ store: small })
  try {
    for (const n of ['a', 'b', 'c'])
      small.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: n, namespace: 'default' },
      })
    const res = await fetch(
      `${s2.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1`,
    )
    assert.equal(res.status, 200)
    const first = JSON.parse((await res.text()).split('\n')[0]!)
    assert.equal(first.type, 'ERROR')
    assert.equal(first.object.code, 410)
    assert.match(first.object.message, /^too old resource version: 1 \(\d+\)$/)
  } finally {
    await s2.close()
  }
})

test('an informer sees add, update and delete', async () => {
  const informer = makeInformer(kc, '/api/v1/namespaces/default/pods', () =>
    core.listNamespacedPod({ namespace: 'default' }),
  )
  const events: string[] = []
  informer.on('add', (p) => events.push(`add ${p.metadata!.name}`))
  informer.on('update', (p) => events.push(`update ${p.metadata!.name} ${p.status?.phase}`))
  informer.on('delete', (p) => events.push(`delete ${p.metadata!.name}`))
  await informer.start()
  try {
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    })
    const p = await core.readNamespacedPod({ name: 'p1', namespace: 'default' })
    await core.replaceNamespacedPodStatus({
      name: 'p1',
      namespace: 'default',
      body: { ...p, status: { phase: 'Running' } },
    })
    await core.deleteNamespacedPod({ name: 'p1', namespace: 'default' })
    await waitFor({
      what: 'informer events for p1',
      timeoutMs: 5000,
      intervalMs: 20,
      check: async () =>
        events.length >= 3 ? { done: true, value: true } : { done: false, seen: events.join('; ') },
    })
    assert.deepEqual(events, ['add p1', 'update p1 Running', 'delete p1'])
  } finally {
    await informer.stop()
  }
})

test('apps/v1 deployments with scale, pod logs, discovery, health and unknown paths', async () => {
  await apps.createNamespacedDeployment({
    namespace: 'default',
    body: {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    },
  })
  const scale = await apps.patchNamespacedDeploymentScale({
    name: 'web',
    namespace: 'default',
    body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
  })
  assert.equal(scale.spec!.replicas, 3)
  assert.equal((await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).spec!.replicas, 3)
  await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'logme' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  })
  const log = await core.readNamespacedPodLog({
    name: 'logme',
    namespace: 'default',
    container: 'c',
    tailLines: 5,
  })
  assert.equal(log, 'log of default/logme/c tail=5\n')
  const stamped = await core.readNamespacedPodLog({ name: 'logme', namespace: 'default', timestamps: true })
  assert.equal(stamped, 'log of default/logme/- tail=- timestamps\n')
  const text = async (p: string) => (await fetch(server.url + p)).text()
  assert.equal(await text('/healthz'), 'ok')
  assert.equal(JSON.parse(await text('/version')).gitVersion, 'v1.34.0-svcnet')
  const v1 = JSON.parse(await text('/api/v1')) as { resources: { name: string; shortNames?: string[] }[] }
  assert.deepEqual(v1.resources.find((r) => r.name === 'services')?.shortNames, ['svc'])
  assert.ok(v1.resources.some((r) => r.name === 'pods/log'))
  const missing = await fetch(`${server.url}/api/v1/widgets`)
  assert.equal(missing.status, 404)
  assert.equal(((await missing.json()) as { kind: string }).kind, 'Status')
  const bad = await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    body: '{nope',
    headers: { 'Content-Type': 'application/json' },
  })
  assert.equal(bad.status, 400)
})

const kubectl = async (...args: string[]) => {
  const r = await run('/usr/bin/kubectl', [`--server=${server.url}`, ...args], {
    allowFailure: true,
    timeoutMs: 20000,
  })
  return { out: r.stdout, err: r.stderr, code: r.exitCode }
}
const haveKubectl = existsSync('/usr/bin/kubectl')

test(
  'the real kubectl: create service nodeport, get svc -A and get nodes print the real columns',
  { skip: !haveKubectl && 'no /usr/bin/kubectl' },
  async () => {
    const created = await kubectl(
      'create',
      'service',
      'nodeport',
      'x',
      '--tcp=80:8080',
      '--node-port=32111',
      '-n',
      'default',
    )
    assert.equal(created.out.trim(), 'service/x created', created.err)
    const again = await kubectl(
      'create',
      'service',
      'nodeport',
      'y',
      '--tcp=80:8080',
      '--node-port=32111',
      '-n',
      'default',
    )
    assert.notEqual(again.code, 0)
    assert.match(
      again.err,
      /spec\.ports\[0\]\.nodePort: Invalid value: 32111: provided port is already allocated/,
    )
    const svcs = await kubectl('get', 'svc', '-A', '-o', 'wide')
    const lines = svcs.out.trim().split('\n')
    assert.match(
      lines[0]!,
      /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/,
      svcs.err,
    )
    assert.match(
      svcs.out,
      /\ndefault\s+x\s+NodePort\s+10\.96\.\d+\.\d+\s+<none>\s+80:32111\/TCP\s+\S+\s+app=x\n/,
    )
    const nodes = await kubectl('get', 'nodes')
    assert.match(
      nodes.out,
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nlab-control-plane\s+Ready\s+control-plane\s+\S+\s+v1\.34\.0-svcnet\n$/,
      nodes.err,
    )
    const del = await kubectl('delete', 'svc', 'x', '-n', 'default')
    assert.equal(del.out.trim(), 'service "x" deleted', del.err)
  },
)

test(
  'the real kubectl: create deployment sends a protobuf Deployment the server decodes',
  { skip: !haveKubectl && 'no /usr/bin/kubectl' },
  async () => {
    const created = await kubectl(
      'create',
      'deployment',
      'pb-web',
      '--image=registry.k8s.io/e2e-test-images/agnhost:2.53',
      '--port=8080',
      '--replicas=3',
      '-n',
      'default',
    )
    assert.equal(created.out.trim(), 'deployment.apps/pb-web created', created.err)
    const d = await apps.readNamespacedDeployment({ name: 'pb-web', namespace: 'default' })
    assert.equal(d.spec!.replicas, 3)
    assert.deepEqual(d.spec!.selector.matchLabels, { app: 'pb-web' })
    assert.deepEqual(d.spec!.template.metadata!.labels, { app: 'pb-web' })
    const c = d.spec!.template.spec!.containers[0]!
    assert.equal(c.image, 'registry.k8s.io/e2e-test-images/agnhost:2.53')
    assert.equal(c.ports![0]!.containerPort, 8080)
    const zero = await kubectl(
      'create',
      'deployment',
      'pb-zero',
      '--image=nginx',
      '--replicas=0',
      '-n',
      'default',
    )
    assert.equal(zero.code, 0, zero.err)
    const z = await apps.readNamespacedDeployment({ name: 'pb-zero', namespace: 'default' })
    assert.equal(z.spec!.replicas, 0, 'replicas 0 is kept (a pointer field)')
  },
)
