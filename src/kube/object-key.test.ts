import { test } from 'node:test'
import assert from 'node:assert/strict'
import { namespacedName, objectKey, splitKey } from './object-key.ts'

test('keys are namespace/name, or name alone for cluster-scoped objects, and split back', () => {
  assert.equal(objectKey({ namespace: 'default', name: 'web' }), 'default/web')
  assert.equal(objectKey({ name: 'worker' }), 'worker')
  assert.equal(objectKey(undefined), '')
  assert.equal(namespacedName('kube-system', 'kube-dns'), 'kube-system/kube-dns')
  assert.deepEqual(splitKey('default/web'), { namespace: 'default', name: 'web' })
  assert.deepEqual(splitKey('worker'), { namespace: '', name: 'worker' })
  for (const k of ['a/b', 'node-1']) assert.equal(objectKey(splitKey(k)), k)
})
