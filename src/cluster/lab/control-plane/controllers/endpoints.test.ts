// Unit tests of the legacy Endpoints subsets.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Pod, V1Service } from '@kubernetes/client-node'
import { endpointSubsets, truncateSubsets } from './endpoints.ts'

const svc = (publish = false): V1Service => ({
  metadata: { name: 'web', namespace: 'ns' },
  spec: {
    selector: { app: 'web' },
    publishNotReadyAddresses: publish,
    ports: [{ port: 80, targetPort: 8080 }],
  },
})
const pod = (name: string, ip: string, ready: boolean, deleting = false): V1Pod => ({
  metadata: { name, namespace: 'ns', uid: name, ...(deleting ? { deletionTimestamp: new Date() } : {}) },
  spec: { nodeName: 'w', containers: [] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
})

describe('endpointSubsets', () => {
  const pods = [
    pod('b', '10.0.0.10', true),
    pod('a', '10.0.0.9', true),
    pod('c', '10.0.0.11', false),
    pod('d', '10.0.0.12', true, true),
  ]
  it('splits ready from not-ready addresses, sorts by IP and leaves terminating pods out', () => {
    const [s] = endpointSubsets(svc(), pods)
    assert.deepEqual(
      s?.addresses?.map((a) => a.ip),
      ['10.0.0.9', '10.0.0.10'],
    )
    assert.deepEqual(
      s?.notReadyAddresses?.map((a) => a.ip),
      ['10.0.0.11'],
    )
    assert.deepEqual(s?.ports, [{ port: 8080, protocol: 'TCP' }])
    assert.deepEqual(s?.addresses?.[0]?.targetRef, { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'a' })
  })
  it('publishes every address, terminating included, with publishNotReadyAddresses', () => {
    const [s] = endpointSubsets(svc(true), pods)
    assert.deepEqual(
      s?.addresses?.map((a) => a.ip),
      ['10.0.0.9', '10.0.0.10', '10.0.0.11', '10.0.0.12'],
    )
    assert.equal(s?.notReadyAddresses, undefined)
  })
  it('is empty without pods', () => {
    assert.deepEqual(endpointSubsets(svc(), []), [])
  })
})

describe('truncateSubsets', () => {
  const addrs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${i}` }))
  it('leaves subsets at or under the capacity alone', () => {
    const subsets = [{ addresses: addrs('10.0.0', 3), notReadyAddresses: addrs('10.0.1', 2) }]
    assert.deepEqual(truncateSubsets(subsets, 5), { subsets, truncated: false })
  })
  it('drops not-ready addresses first, in proportion to each subset', () => {
    const { subsets, truncated } = truncateSubsets(
      [
        { addresses: addrs('10.0.0', 4), notReadyAddresses: addrs('10.0.1', 6) },
        { addresses: addrs('10.0.2', 2), notReadyAddresses: addrs('10.0.3', 2) },
      ],
      10,
    )
    assert.equal(truncated, true)
    assert.deepEqual(
      subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]),
      [
        [4, 3],
        [2, 1],
      ],
    )
  })
  it('keeps only ready addresses, shared out by subset, when they alone exceed the capacity', () => {
    const { subsets } = truncateSubsets(
      [
        { addresses: addrs('10.0.0', 9), notReadyAddresses: addrs('10.0.1', 1), ports: [{ port: 80 }] },
        { addresses: addrs('10.0.2', 3) },
      ],
      8,
    )
    assert.deepEqual(
      subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]),
      [
        [6, 0],
        [2, 0],
      ],
    )
    assert.deepEqual(subsets[0]?.ports, [{ port: 80 }])
  })
})
