import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node'
import { objectKey } from '../kube/object-key.ts'
import { makeService, makeSlice } from './iptables/test-objects.ts'
import { buildSnapshot, sliceServiceName } from './snapshot.ts'
import { SnapshotCache } from './snapshot-cache.ts'

// A small mutable world of objects, and the cache's view of it.
function world() {
  const services = new Map<string, V1Service>()
  const slices = new Map<string, V1EndpointSlice>()
  const objects = {
    service: (k: string) => services.get(k),
    slices: (k: string) => [...slices.values()].filter((s) => sliceServiceName(s) === k),
  }
  return { services, slices, objects }
}

test('updating only changed services gives the same snapshot as building it from scratch', () => {
  const w = world()
  const cache = new SnapshotCache('a')
  const put = (s: V1Service) => w.services.set(objectKey(s.metadata), s)
  const putSlice = (s: V1EndpointSlice) => w.slices.set(objectKey(s.metadata), s)
  const check = () =>
    assert.deepEqual(cache.snapshot(), buildSnapshot(w.services.values(), w.slices.values(), 'a'))
  for (let i = 0; i < 30; i++) {
    put(makeService('ns', `s${i}`, { clusterIP: `10.96.0.${i + 1}`, ports: [{ name: 'http', port: 80 }] }))
    putSlice(
      makeSlice('ns', `s${i}`, 'x', [{ name: 'http', port: 8080 }], [{ ip: `10.244.0.${i + 1}`, node: 'a' }]),
    )
  }
  cache.update(w.services.keys(), w.objects)
  check()
  assert.equal(cache.totalEndpoints, 30)
  // A changed cluster IP (same ports), a new port, a deleted service, a second slice: only those are recomputed.
  put(makeService('ns', 's3', { clusterIP: '10.96.1.3', ports: [{ name: 'http', port: 80 }] }))
  put(
    makeService('ns', 's4', {
      clusterIP: '10.96.0.5',
      ports: [
        { name: 'http', port: 80 },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    }),
  )
  w.services.delete('ns/s5')
  w.slices.delete('ns/s5-x')
  putSlice(makeSlice('ns', 's6', 'y', [{ name: 'http', port: 8080 }], [{ ip: '10.244.9.9' }]))
  cache.update(['ns/s3', 'ns/s4', 'ns/s5', 'ns/s6'], w.objects)
  check()
  assert.equal(cache.totalEndpoints, 30)
})
