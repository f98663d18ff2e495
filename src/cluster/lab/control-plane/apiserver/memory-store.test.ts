import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryStore } from './memory-store.ts'
import { StatusError } from './status-error.ts'
import type { KubeObject, WatchEvent } from './store.ts'

const svc = (name: string, ns = 'default', labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
  spec: { ports: [{ port: 80 }] },
})
const pod = (name: string, nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'x' }], ...(nodeName ? { nodeName } : {}) },
})
const code = (c: number, msg?: string) => (e: unknown) =>
  e instanceof StatusError && e.code === c && (msg === undefined || e.message === msg)

test('create fills metadata, apiVersion/kind and bumps one global resourceVersion', () => {
  const s = new MemoryStore({ admission: {} })
  const a = s.create('services', svc('a'))
  const d = s.create('deployments', {
    apiVersion: '',
    kind: '',
    metadata: { name: 'd', namespace: 'default' },
    spec: {},
  })
  assert.equal(d.apiVersion, 'apps/v1')
  assert.equal(d.kind, 'Deployment')
  assert.match(a.metadata.uid!, /^[0-9a-f-]{36}$/)
  assert.match(String(a.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  assert.equal(a.metadata.generation, 1)
  assert.equal(Number(d.metadata.resourceVersion), Number(a.metadata.resourceVersion) + 1)
  assert.equal(s.list('services').resourceVersion, d.metadata.resourceVersion)
  assert.throws(() => s.create('services', svc('a')), code(409, 'services "a" already exists'))
  const g = s.create('pods', { ...pod(''), metadata: { generateName: 'web-', namespace: 'default' } })
  assert.match(g.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
})

test('namespaced objects need an existing, non-terminating namespace; nodes are cluster-scoped', () => {
  const s = new MemoryStore({ admission: {} })
  assert.throws(() => s.create('services', svc('a', 'nope')), code(404, 'namespaces "nope" not found'))
  const n = s.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1', namespace: 'x' } })
  assert.equal(n.metadata.namespace, undefined)
  assert.ok(s.get('nodes', undefined, 'w1'))
  s.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't' } })
  s.create('services', svc('keep', 't'))
  const marked = s.delete('namespaces', undefined, 't')
  assert.equal((marked.status as { phase: string }).phase, 'Terminating')
  assert.ok(marked.metadata.deletionTimestamp)
  assert.throws(
    () => s.create('services', svc('b', 't')),
    code(
      403,
      'services "b" is forbidden: unable to create new content in namespace t because it is being terminated',
    ),
  )
  s.delete('namespaces', undefined, 't')
  assert.ok(s.get('namespaces', undefined, 't'), 'a second delete without grace 0 does not remove it')
  s.delete('services', 't', 'keep')
  s.delete('namespaces', undefined, 't', { gracePeriodSeconds: 0 })
  assert.equal(s.get('namespaces', undefined, 't'), undefined)
})

test('update: stale resourceVersion conflicts, status is kept, generation follows spec only', () => {
  const s = new MemoryStore({ admission: {} })
  const a = s.create('services', svc('a'))
  const withStatus = s.update(
    'services',
    { ...a, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } },
    { subresource: 'status' },
  )
  assert.equal(withStatus.metadata.generation, 1, 'status update does not bump generation')
  const b = s.update('services', { ...withStatus, spec: { ports: [{ port: 81 }] }, status: {} })
  assert.equal(b.metadata.generation, 2)
  assert.deepEqual(b.status, withStatus.status, 'main resource update keeps stored status')
  assert.equal(b.metadata.uid, a.metadata.uid)
  assert.throws(() => s.update('services', a), code(409))
  assert.throws(() => s.update('services', svc('missing')), code(404, 'services "missing" not found'))
  const unconditional = s.update('services', { ...svc('a', 'default', { x: 'y' }) })
  assert.equal(unconditional.metadata.labels?.x, 'y')
  assert.equal(unconditional.metadata.generation, 3)
})

test('list filters by namespace, label and field selectors, sorted by namespace/name', () => {
  const s = new MemoryStore({ admission: {} })
  s.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } })
  s.create('services', svc('z', 'default', { app: 'web' }))
  s.create('services', svc('y', 'b', { app: 'web' }))
  s.create('services', svc('x', 'default', { app: 'db' }))
  const names = (r: { items: KubeObject[] }) =>
    r.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
  assert.deepEqual(names(s.list('services')), ['b/y', 'default/x', 'default/z'])
  assert.deepEqual(names(s.list('services', { namespace: 'default', labelSelector: 'app=web' })), [
    'default/z',
  ])
  assert.deepEqual(names(s.list('services', { fieldSelector: 'metadata.name!=z' })), ['b/y', 'default/x'])
})

test('watch delivers events in order, resumes from history and answers 410 beyond it', () => {
  const s = new MemoryStore({ historyWindow: 3, admission: {} })
  const seen: string[] = []
  const stop = s.watch('services', {}, (e) =>
    seen.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`),
  )
  const a = s.create('services', svc('a'))
  const rvA = Number(a.metadata.resourceVersion)
  s.update('services', { ...a, metadata: { ...a.metadata, labels: { v: '2' } } })
  s.delete('services', 'default', 'a')
  stop()
  s.create('services', svc('b'))
  assert.deepEqual(seen, [`ADDED a ${rvA}`, `MODIFIED a ${rvA + 1}`, `DELETED a ${rvA + 2}`])
  const resumed: string[] = []
  s.watch('services', { resourceVersion: String(rvA) }, (e) =>
    resumed.push(`${e.type} ${e.object.metadata.name}`),
  )
  assert.deepEqual(resumed, ['MODIFIED a', 'DELETED a', 'ADDED b'])
  assert.throws(
    () => s.watch('services', { resourceVersion: String(rvA - 1) }, () => {}),
    code(410, `too old resource version: ${rvA - 1} (${rvA})`),
  )
  const initial: string[] = []
  s.watch('services', { resourceVersion: '0' }, (e) => initial.push(`${e.type} ${e.object.metadata.name}`))
  assert.deepEqual(initial, ['ADDED b'])
})

test('a filtered watch sees objects entering and leaving its selector as ADDED and DELETED', () => {
  const s = new MemoryStore({ admission: {} })
  const seen: string[] = []
  s.watch('services', { labelSelector: 'app=web' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`))
  const a = s.create('services', svc('a', 'default', { app: 'db' }))
  const a2 = s.update('services', { ...a, metadata: { ...a.metadata, labels: { app: 'web' } } })
  s.update('services', { ...a2, metadata: { ...a2.metadata, labels: { app: 'db' } } })
  assert.deepEqual(seen, ['ADDED a', 'DELETED a'])
})

test('events stay in order for every watcher even when a watcher writes from its callback', () => {
  const s = new MemoryStore({ admission: {} })
  const first: string[] = []
  const second: string[] = []
  s.watch('services', {}, (e) => {
    first.push(e.object.metadata.name!)
    if (e.object.metadata.name === 'a') s.create('services', svc('b'))
  })
  s.watch('services', {}, (e: WatchEvent) => second.push(e.object.metadata.name!))
  s.create('services', svc('a'))
  assert.deepEqual(first, ['a', 'b'])
  assert.deepEqual(second, ['a', 'b'])
})

test('pods on a node are deleted gracefully; the kubelet finishes with grace 0', () => {
  const s = new MemoryStore({ admission: {} })
  const events: string[] = []
  s.watch('pods', {}, (e) => events.push(e.type))
  s.create('pods', {
    ...pod('p', 'w1'),
    spec: { containers: [], nodeName: 'w1', terminationGracePeriodSeconds: 5 },
  })
  const marked = s.delete('pods', 'default', 'p')
  assert.equal(marked.metadata.deletionGracePeriodSeconds, 5)
  assert.ok(marked.metadata.deletionTimestamp)
  assert.ok(s.get('pods', 'default', 'p'))
  s.update('pods', { ...marked, status: { phase: 'Running' } }, { subresource: 'status' })
  assert.ok(s.get('pods', 'default', 'p'), 'a status update does not finish a graceful delete')
  s.delete('pods', 'default', 'p', { gracePeriodSeconds: 0 })
  assert.equal(s.get('pods', 'default', 'p'), undefined)
  assert.deepEqual(events, ['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED'])
  s.create('pods', pod('unscheduled'))
  s.delete('pods', 'default', 'unscheduled')
  assert.equal(s.get('pods', 'default', 'unscheduled'), undefined, 'unscheduled pods go at once')
})

test('finalizers block removal until the last one is removed', () => {
  const s = new MemoryStore({ admission: {} })
  s.create('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default', finalizers: ['x/y'] },
  })
  const marked = s.delete('configmaps', 'default', 'c')
  assert.ok(marked.metadata.deletionTimestamp)
  const cleared = s.update('configmaps', { ...marked, metadata: { ...marked.metadata, finalizers: [] } })
  assert.equal(s.get('configmaps', 'default', 'c'), undefined)
  assert.ok(cleared.metadata.deletionTimestamp)
})

test('deleting an owner leaves its dependents to the garbage collector, or orphans them', () => {
  const s = new MemoryStore({ admission: {} })
  const d = s.create('replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'rs', namespace: 'default' },
    spec: {},
  })
  const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: d.metadata.uid! }]
  s.create('pods', { ...pod('p1'), metadata: { name: 'p1', namespace: 'default', ownerReferences: owner } })
  s.delete('replicasets', 'default', 'rs')
  assert.deepEqual(
    s.get('pods', 'default', 'p1')?.metadata.ownerReferences,
    owner,
    'the store itself does not cascade',
  )
  const d2 = s.create('replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'rs', namespace: 'default' },
    spec: {},
  })
  s.create('pods', {
    ...pod('p2'),
    metadata: {
      name: 'p2',
      namespace: 'default',
      ownerReferences: [{ ...owner[0]!, uid: d2.metadata.uid! }],
    },
  })
  s.delete('replicasets', 'default', 'rs', { propagationPolicy: 'Orphan' })
  assert.deepEqual(s.get('pods', 'default', 'p2')?.metadata.ownerReferences, [])
})

test('returned objects are copies: mutating them does not change the store', () => {
  const s = new MemoryStore({ admission: {} })
  const a = s.create('services', svc('a'))
  a.metadata.labels = { hacked: 'yes' }
  assert.equal(s.get('services', 'default', 'a')?.metadata.labels, undefined)
})
