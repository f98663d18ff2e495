// The informer against the lab's real in-process API server (its list/watch contract: bookmarks, timeoutSeconds,
// 410 Gone for an expired resourceVersion, bearer tokens), through a relay that can cut the connections.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { V1Service } from '@kubernetes/client-node'
import { MemoryStore } from '../cluster/lab/control-plane/apiserver/memory-store.ts'
import { startApiServer } from '../cluster/lab/control-plane/apiserver/server.ts'
import { waitFor } from '../wait/wait-for.ts'
import { loadKubeConfig } from './client-config.ts'
import { startInformer, type InformerSpec } from './informer.ts'
import type { ApiClient } from './api-client.ts'
import { TestRelay } from './test-relay.ts'

const svc = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels },
  spec: { ports: [{ port: 80 }] },
})

// A recorder of an informer on services: its events ("add a", "update b", "delete c", "synced") and log lines.
function recorder() {
  const events: string[] = []
  const logs: string[] = []
  const handler: InformerSpec<V1Service>['handler'] = {
    onAdd: (o) => events.push(`add ${o.metadata?.name}`),
    onUpdate: (_o, n) => events.push(`update ${n.metadata?.name}`),
    onDelete: (o) => events.push(`delete ${o.metadata?.name}`),
    onSynced: () => events.push('synced'),
  }
  const until = (what: string, ok: () => boolean) =>
    waitFor({
      what,
      timeoutMs: 10_000,
      intervalMs: 10,
      check: async () =>
        ok()
          ? { done: true, value: null }
          : { done: false, seen: `${events.join(', ')} | ${logs.join(' | ')}` },
    })
  const log = (m: string) => void logs.push(m)
  // Starts the informer on /api/v1/services with this recorder; `opts` adds backoff or watch timeout settings.
  const start = (client: ApiClient, opts: Partial<InformerSpec<V1Service>> = {}) =>
    startInformer<V1Service>({ what: 'services', client, path: '/api/v1/services', handler, log, ...opts })
  return { events, logs, until, start }
}

const rvOf = (target: string) => new URL(target, 'http://x').searchParams.get('resourceVersion')

test('bookmarks advance the resourceVersion silently; a watch the server ends is resumed from it, not relisted', async () => {
  const store = new MemoryStore()
  store.create('services', svc('a'))
  const server = await startApiServer({ store, bookmarkIntervalMs: 50, log: () => {} })
  const relay = await TestRelay.start(server.port)
  const client = loadKubeConfig({ master: relay.url }, { serviceAccountDir: '/nonexistent' })
  const r = recorder()
  const informer = r.start(client, { watchTimeoutSeconds: 1 })
  try {
    await r.until('the first list', () => r.events.includes('synced'))
    // Another resource moves the store's resourceVersion on; only bookmarks tell the services watch about it.
    const ns = store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
    })
    const rv = ns.metadata.resourceVersion
    await r.until(`a re-watch from the bookmark's resourceVersion ${rv}`, () =>
      relay.targets('/api/v1/services?watch').some((t) => rvOf(t) === rv),
    )
    store.create('services', svc('b'))
    await r.until('b to arrive', () => r.events.includes('add b'))
    assert.deepEqual(r.events, ['add a', 'synced', 'add b'])
    assert.equal(relay.targets('/api/v1/services').filter((t) => !t.includes('watch=true')).length, 1)
    const first = new URL(relay.targets('/api/v1/services?watch')[0]!, 'http://x').searchParams
    assert.equal(first.get('allowWatchBookmarks'), 'true')
    assert.equal(first.get('timeoutSeconds'), '1')
    assert.deepEqual(r.logs, [])
  } finally {
    informer.stop()
    client.close()
    await relay.close()
    await server.close()
  }
})

test('after an outage longer than the watch history, 410 Gone relists: deletes what vanished, updates what changed', async () => {
  const store = new MemoryStore({ historyWindow: 3 })
  for (const n of ['a', 'b', 'keep']) store.create('services', svc(n))
  const server = await startApiServer({ store, log: () => {} })
  const relay = await TestRelay.start(server.port)
  const client = loadKubeConfig({ master: relay.url }, { serviceAccountDir: '/nonexistent' })
  const r = recorder()
  const informer = r.start(client, { minBackoffMs: 20, maxBackoffMs: 40 })
  try {
    await r.until('the first list and watch', () => relay.targets('/api/v1/services?watch').length === 1)
    relay.cut(true)
    await r.until('a failed re-watch', () => r.logs.length > 0)
    store.delete('services', 'default', 'a')
    const b = store.get('services', 'default', 'b')!
    store.update('services', { ...b, metadata: { ...b.metadata, labels: { changed: 'yes' } } })
    store.create('services', svc('c'))
    for (const n of ['x1', 'x2', 'x3', 'x4'])
      store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })
    relay.refusing = false
    await r.until('the relist after 410', () => r.events.includes('add c'))
    assert.deepEqual(r.events, ['add a', 'add b', 'add keep', 'synced', 'delete a', 'update b', 'add c'])
    const lists = relay.targets('/api/v1/services').filter((t) => !t.includes('watch=true'))
    assert.equal(lists.length, 2, relay.targets().join('\n'))
    assert.match(r.logs[0]!, /^services: list\/watch \/api\/v1\/services failed: .*; retrying in 20ms$/)
  } finally {
    informer.stop()
    client.close()
    await relay.close()
    await server.close()
  }
})

test('a rotated ServiceAccount token is read again for the next request', async () => {
  const store = new MemoryStore()
  const oldToken = 'old-token-0123456789'
  const newToken = 'new-token-0123456789'
  const before = await startApiServer({ store, tokens: new Map([[oldToken, 'sa']]), log: () => {} })
  const after = await startApiServer({ store, tokens: new Map([[newToken, 'sa']]), log: () => {} })
  const relay = await TestRelay.start(before.port)
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-informer-'))
  await writeFile(join(dir, 'token'), `${oldToken}\n`)
  const client = loadKubeConfig({ master: relay.url }, { serviceAccountDir: dir })
  const r = recorder()
  const informer = r.start(client, { minBackoffMs: 20, maxBackoffMs: 40 })
  try {
    await r.until('the first watch', () => relay.targets('/api/v1/services?watch').length === 1)
    await writeFile(join(dir, 'token'), `${newToken}\n`)
    relay.targetPort = after.port
    relay.cut(false)
    store.create('services', svc('after-rotation'))
    await r.until('the service created after the rotation', () => r.events.includes('add after-rotation'))
    assert.deepEqual(
      [...new Set(relay.requests.map((q) => q.authorization))],
      [`Bearer ${oldToken}`, `Bearer ${newToken}`],
    )
  } finally {
    informer.stop()
    client.close()
    await relay.close()
    await before.close()
    await after.close()
    await rm(dir, { recursive: true })
  }
})
