// Tests of the garbage collector: the pure decision, and dangling owner references in a real MemoryStore.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultAdmission } from '../apiserver/default-admission.ts'
import { MemoryStore } from '../apiserver/memory-store.ts'
import type { KubeObject } from '../apiserver/store.ts'
import { gcAction, type OwnerState } from './garbage-collector.ts'
import { startControllers } from './start-controllers.ts'

const ref = (uid: string, kind = 'ReplicaSet') => ({ apiVersion: 'apps/v1', kind, name: uid, uid })
const obj = (refs: ReturnType<typeof ref>[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', ownerReferences: refs },
})

describe('gcAction', () => {
  it('keeps objects with live or no owners, deletes when all are gone, trims when some are', () => {
    const alive = (r: { uid: string }): OwnerState => (r.uid === 'live' ? 'present' : 'gone')
    assert.deepEqual(gcAction(obj([]), alive), { op: 'keep' })
    assert.deepEqual(gcAction(obj([ref('live')]), alive), { op: 'keep' })
    assert.deepEqual(gcAction(obj([ref('dead')]), alive), { op: 'delete', foreground: false })
    assert.deepEqual(gcAction(obj([ref('dead'), ref('live')]), alive), {
      op: 'trim',
      ownerReferences: [ref('live')],
    })
  })
  it('treats an owner deleted in the foreground as going: the dependent goes, in the foreground if it has dependents', () => {
    const state = (r: { uid: string }): OwnerState => (r.uid === 'live' ? 'present' : 'deleting')
    assert.deepEqual(gcAction(obj([ref('fg')]), state, false), { op: 'delete', foreground: false })
    assert.deepEqual(gcAction(obj([ref('fg')]), state, true), { op: 'delete', foreground: true })
    assert.deepEqual(gcAction(obj([ref('fg'), ref('live')]), state, true), {
      op: 'trim',
      ownerReferences: [ref('live')],
    })
  })
})

describe('garbage collector', () => {
  it('deletes objects whose owner no longer exists (e.g. created after the owner went)', async () => {
    const store = new MemoryStore({ admission: defaultAdmission() })
    const logs: string[] = []
    const controllers = startControllers(store, {
      apiServer: { host: '172.18.0.2', port: 6443 },
      log: (l) => logs.push(l),
    })
    try {
      store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'orphan',
          namespace: 'default',
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope', uid: 'x' }],
        },
      })
      store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'foreign',
          namespace: 'default',
          ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'y' }],
        },
      })
      await controllers.idle()
      assert.equal(store.get('configmaps', 'default', 'orphan'), undefined, 'orphan collected')
      // An object with two owners loses the reference to the one that goes, and goes with the last one.
      const owner = (name: string): KubeObject =>
        store.create('configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: 'default' },
        })
      const refTo = (o: KubeObject) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: o.metadata.name!,
        uid: o.metadata.uid!,
      })
      const a = owner('a')
      const b = owner('b')
      store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'both', namespace: 'default', ownerReferences: [refTo(a), refTo(b)] },
      })
      await controllers.idle()
      store.delete('configmaps', 'default', 'a')
      await controllers.idle()
      assert.deepEqual(store.get('configmaps', 'default', 'both')?.metadata.ownerReferences, [refTo(b)])
      store.delete('configmaps', 'default', 'b')
      await controllers.idle()
      assert.equal(store.get('configmaps', 'default', 'both'), undefined, 'gone with its last owner')
      assert.ok(
        store.get('configmaps', 'default', 'foreign'),
        'owners of kinds the lab does not serve are assumed to exist',
      )
      assert.deepEqual(logs, [])
    } finally {
      controllers.stop()
    }
  })
})
