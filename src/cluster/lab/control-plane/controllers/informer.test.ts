// Tests of the informer: old/new objects to handlers, and a re-list when the watch answers 410 Gone.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryStore } from '../apiserver/memory-store.ts'
import { gone } from '../apiserver/status-error.ts'
import type { KubeObject, Store } from '../apiserver/store.ts'
import { FakeClock } from '../../../../wait/clock.ts'
import { CONTROLLER_INDEX, Informer, NAMESPACE_INDEX, OWNER_INDEX } from './informer.ts'

const cm = (name: string, data: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { v: data },
})

describe('Informer', () => {
  it('lists, then reports adds, updates with the old object, and deletes', () => {
    const store = new MemoryStore()
    store.create('configmaps', cm('a', '1'))
    const seen: string[] = []
    const inf = new Informer(store, 'configmaps', (e) => assert.fail(String(e)))
    inf.addHandler({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (o, n) =>
        seen.push(`update ${(o['data'] as { v: string }).v}->${(n['data'] as { v: string }).v}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    })
    inf.start()
    const a = store.get('configmaps', 'default', 'a')!
    store.update('configmaps', { ...a, data: { v: '2' } })
    store.delete('configmaps', 'default', 'a')
    inf.stop()
    store.create('configmaps', cm('b', '1'))
    assert.deepEqual(seen, ['add a', 'update 1->2', 'delete a'])
  })

  it('re-lists when the watch is refused with 410, reporting what changed meanwhile', async () => {
    const store = new MemoryStore()
    let refuse = 1
    // The real store, except that the first watch is refused as too old.
    const flaky: Store = {
      get: (...a) => store.get(...a),
      list: (...a) => store.list(...a),
      create: (...a) => store.create(...a),
      update: (...a) => store.update(...a),
      delete: (...a) => store.delete(...a),
      watch: (r, o, cb) => {
        if (refuse-- > 0) throw gone('too old resource version: 1 (5)')
        return store.watch(r, o, cb)
      },
    }
    store.create('configmaps', cm('a', '1'))
    const names = new Set<string>()
    const clock = new FakeClock()
    const inf = new Informer(flaky, 'configmaps', (e) => assert.fail(String(e)), clock)
    inf.addHandler({
      onAdd: (o) => names.add(o.metadata.name ?? ''),
      onDelete: (o) => names.delete(o.metadata.name ?? ''),
    })
    inf.start()
    store.delete('configmaps', 'default', 'a')
    store.create('configmaps', cm('b', '1'))
    assert.equal(clock.pendingTimers, 1, 'a re-list is scheduled')
    assert.deepEqual([...names], ['a'], 'nothing seen before the re-list')
    await clock.advance(0)
    assert.deepEqual([...names], ['b'], 'the re-list reports the delete and the create')
    store.create('configmaps', cm('c', '1'))
    assert.ok(names.has('c'), 'watching after the re-list')
    inf.stop()
  })

  it('keeps its namespace, owner and controller indexes in step with adds, updates and deletes', () => {
    const store = new MemoryStore({ namespaces: ['a', 'b'] })
    const owned = (
      name: string,
      ns: string,
      owners: { uid: string; controller?: boolean }[],
    ): KubeObject => ({
      ...cm(name, '1'),
      metadata: {
        name,
        namespace: ns,
        ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.uid, ...o })),
      },
    })
    store.create('configmaps', owned('x', 'a', [{ uid: 'u1', controller: true }, { uid: 'u2' }]))
    const inf = new Informer(store, 'configmaps', (e) => assert.fail(String(e)))
    inf.start()
    inf.addIndex(OWNER_INDEX)
    inf.addIndex(CONTROLLER_INDEX)
    store.create('configmaps', owned('y', 'b', [{ uid: 'u2' }]))
    const names = (index: string, value: string): string[] =>
      inf
        .byIndex(index, value)
        .map((o) => o.metadata.name ?? '')
        .sort()
    assert.deepEqual(names(NAMESPACE_INDEX, 'a'), ['x'])
    assert.deepEqual(names(OWNER_INDEX, 'u2'), ['x', 'y'])
    assert.deepEqual(names(CONTROLLER_INDEX, 'u1'), ['x'])
    assert.deepEqual(names(CONTROLLER_INDEX, 'u2'), [])
    const x = store.get('configmaps', 'a', 'x')!
    store.update('configmaps', { ...x, metadata: { ...x.metadata, ownerReferences: [] } })
    assert.deepEqual(names(OWNER_INDEX, 'u2'), ['y'], 'an update refiles the object')
    assert.deepEqual(names(CONTROLLER_INDEX, 'u1'), [])
    store.delete('configmaps', 'b', 'y')
    assert.deepEqual(names(OWNER_INDEX, 'u2'), [])
    assert.deepEqual(names(NAMESPACE_INDEX, 'b'), [])
    assert.throws(() => inf.byIndex('nope', 'x'), /no index "nope"/)
    inf.stop()
  })
})
