import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BinaryWriter } from '@bufbuild/protobuf/wire'
import { decodeKubeProtobuf } from './protobuf.ts'
import { MemoryStore } from './memory-store.ts'
import { startApiServer } from './server.ts'

// A Service as client-go encodes it: the `k8s\0` magic, then runtime.Unknown{typeMeta, raw}.
function serviceBody(name: string, port: number): Uint8Array {
  const meta = new BinaryWriter().tag(1, 2).string(name).finish()
  const portMsg = new BinaryWriter().tag(2, 2).string('TCP').tag(3, 0).int32(port).finish()
  const spec = new BinaryWriter().tag(1, 2).bytes(portMsg).tag(4, 2).string('ClusterIP').finish()
  const raw = new BinaryWriter().tag(1, 2).bytes(meta).tag(2, 2).bytes(spec).finish()
  const typeMeta = new BinaryWriter().tag(1, 2).string('v1').tag(2, 2).string('Service').finish()
  const unknown = new BinaryWriter().tag(1, 2).bytes(typeMeta).tag(2, 2).bytes(raw).finish()
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown])
}

test('a negative int32 (a 10-byte varint) decodes as itself', () => {
  const body = serviceBody('neg', -1)
  const obj = decodeKubeProtobuf(body) as { spec: { ports: { port: number; protocol: string }[] } }
  assert.deepEqual(obj.spec.ports, [{ protocol: 'TCP', port: -1 }])
  assert.equal(decodeKubeProtobuf(serviceBody('big', 2_147_483_647)).spec !== undefined, true)
})

test('a truncated or mistyped protobuf body is a 400 that says where, not a crash', () => {
  const body = serviceBody('cut', 80)
  for (const cut of [body.subarray(0, body.length - 3), body.subarray(0, 9)]) {
    assert.throws(
      () => decodeKubeProtobuf(cut),
      (e: { code?: number }) => e.code === 400,
    )
  }
  const wrongWire = Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    new BinaryWriter()
      .tag(1, 2)
      .bytes(new BinaryWriter().tag(2, 2).string('Service').finish())
      .tag(2, 2)
      .bytes(new BinaryWriter().tag(1, 0).int32(7).finish())
      .finish(),
  ])
  assert.throws(
    () => decodeKubeProtobuf(wrongWire),
    (e: { code?: number; message?: string }) =>
      e.code === 400 && /metadata: wire type 0/.test(e.message ?? ''),
  )
})

test('the server names the value kubectl sent in the 422 for a protobuf Service with port -1', async () => {
  const server = await startApiServer({ store: new MemoryStore() })
  try {
    const res = await fetch(`${server.url}/api/v1/namespaces/default/services`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
      body: serviceBody('neg', -1),
    })
    const status = (await res.json()) as { message: string }
    assert.equal(res.status, 422)
    assert.match(status.message, /spec\.ports\[0\]\.port: Invalid value: -1: /)
  } finally {
    await server.close()
  }
})
