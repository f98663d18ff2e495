// Unit tests of the legacy Endpoints subsets.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Pod, V1Service } from '@kubernetes/client-node'
import { endpointSubsets } from './endpoints.ts'

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
