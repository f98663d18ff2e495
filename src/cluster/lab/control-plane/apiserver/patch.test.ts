import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyPatch, jsonPatch, mergePatch, strategicMergePatch } from './patch.ts'
import { MemoryStore } from './memory-store.ts'
import { startApiServer } from './server.ts'
import { humanDuration } from './table.ts'

test('merge patch merges objects, deletes with null and replaces lists', () => {
  assert.deepEqual(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] }), {
    a: { c: 2, d: 3 },
    l: [3],
  })
})

test('strategic merge patch merges containers by name and ports by key, honouring $patch: delete', () => {
  const pod = {
    spec: {
      containers: [
        { name: 'a', image: 'x', ports: [{ containerPort: 80 }] },
        { name: 'b', image: 'y' },
      ],
    },
  }
  const out = strategicMergePatch(pod, {
    $setElementOrder: [],
    spec: {
      containers: [
        { name: 'a', image: 'x2', ports: [{ containerPort: 81 }] },
        { name: 'b', $patch: 'delete' },
      ],
    },
  })
  assert.deepEqual(out, {
    spec: { containers: [{ name: 'a', image: 'x2', ports: [{ containerPort: 80 }, { containerPort: 81 }] }] },
  })
})

test('json patch supports add, replace, remove, test; unknown patch types are 415', () => {
  const out = jsonPatch({ a: [1, 2], b: 'x' }, [
    { op: 'add', path: '/a/-', value: 3 },
    { op: 'replace', path: '/b', value: 'y' },
    { op: 'remove', path: '/a/0' },
    { op: 'test', path: '/b', value: 'y' },
  ])
  assert.deepEqual(out, { a: [2, 3], b: 'y' })
  assert.throws(() => jsonPatch({}, [{ op: 'remove', path: '/nope' }]), /does not exist/)
  assert.throws(
    () => applyPatch('text/plain', {}, {}),
    (e: { code?: number }) => e.code === 415,
  )
})

test('json patch test compares JSON values, not their text: key order does not matter (RFC 6902 §4.6)', () => {
  const doc = { m: { a: 1, b: 2 }, l: [1, 2] }
  const out = jsonPatch(doc, [
    { op: 'test', path: '/m', value: { b: 2, a: 1 } },
    { op: 'replace', path: '/l/1', value: 3 },
  ])
  assert.deepEqual(out, { m: { a: 1, b: 2 }, l: [1, 3] })
  assert.throws(
    () => jsonPatch(doc, [{ op: 'test', path: '/m', value: { a: 1, b: 3 } }]),
    (e: { code?: number; message?: string }) =>
      e.code === 422 && /test failed at "\/m"/.test(e.message ?? ''),
  )
  assert.throws(
    () => jsonPatch(doc, [{ op: 'test', path: '/l', value: [2, 1] }]),
    (e: { code?: number }) => e.code === 422,
    'array order matters',
  )
})

test('json patch is all or nothing, replaces the whole document at path "", and 400s malformed operations', () => {
  const doc = { a: 1 }
  assert.throws(() =>
    jsonPatch(doc, [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'remove', path: '/missing' },
    ]),
  )
  assert.deepEqual(doc, { a: 1 }, 'the target is never changed')
  assert.deepEqual(jsonPatch(doc, [{ op: 'replace', path: '', value: { b: 1 } }]), { b: 1 })
  for (const bad of [
    [null],
    [{ op: 'add', path: 'a', value: 1 }],
    [{ op: 'add', path: '/a' }],
    [{ op: 'jump', path: '/a' }],
    [{ op: 'move', path: '/a' }],
  ]) {
    assert.throws(
      () => jsonPatch(doc, bad),
      (e: { code?: number }) => e.code === 400,
      JSON.stringify(bad),
    )
  }
})

test('ages print like kubectl', () => {
  assert.deepEqual([5_000, 150_000, 3_600_000, 90_000_000, 5 * 86_400_000].map(humanDuration), [
    '5s',
    '2m30s',
    '60m',
    '25h',
    '5d',
  ])
})

test('the server also answers on a unix socket', async () => {
  const socketPath = join(tmpdir(), `svcnet-apiserver-test-${process.pid}.sock`)
  const server = await startApiServer({ store: new MemoryStore(), unixSocket: socketPath })
  try {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ socketPath, path: '/api/v1/namespaces', method: 'GET' }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(text))
      })
      req.on('error', reject)
      req.end()
    })
    const list = JSON.parse(body) as { kind: string; items: { metadata: { name: string } }[] }
    assert.equal(list.kind, 'NamespaceList')
    assert.deepEqual(
      list.items.map((n) => n.metadata.name),
      ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
    )
  } finally {
    await server.close()
  }
})
