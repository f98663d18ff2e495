import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryStore } from './memory-store.ts'

const cm = (name: string, bytes: number) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { k: 'x'.repeat(bytes) },
})

test('objects past the size limit are 413, writes past the quota 507, and deletes free the quota', () => {
  const store = new MemoryStore({ budget: { maxObjectBytes: 4000, quotaBytes: 8000 } })
  assert.throws(
    () => store.create('configmaps', cm('big', 5000)),
    (e: { code?: number }) => e.code === 413,
  )
  let n = 0
  let refused: { code?: number; message?: string } | undefined
  for (; n < 10 && !refused; n++) {
    try {
      store.create('configmaps', cm(`c${n}`, 1500))
    } catch (err) {
      refused = err as { code?: number; message?: string }
    }
  }
  assert.equal(refused?.code, 507, 'the quota is reached before 10 objects of 1.5 KB')
  assert.match(refused?.message ?? '', /store is full/)
  const grown = store.get('configmaps', 'default', 'c0')!
  assert.throws(
    () => store.update('configmaps', { ...grown, data: { k: 'x'.repeat(3500) } }),
    (e: { code?: number }) => e.code === 507,
    'growing an object past the quota is refused too',
  )
  store.delete('configmaps', 'default', 'c0')
  assert.ok(store.create('configmaps', cm('again', 1500)), 'a delete frees its bytes')
})

test('the watch history is trimmed by bytes: a resume from before the trimmed events is 410', () => {
  const store = new MemoryStore({ historyBytes: 10_000 })
  const first = store.create('configmaps', cm('h0', 10))
  for (let i = 1; i < 20; i++) store.create('configmaps', cm(`h${i}`, 1000))
  assert.throws(
    () => store.watch('configmaps', { resourceVersion: first.metadata.resourceVersion! }, () => {}),
    (e: { code?: number }) => e.code === 410,
  )
})
