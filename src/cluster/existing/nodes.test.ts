import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { V1Node } from '@kubernetes/client-node'
import { clusterNodeOf, isSchedulable } from './nodes.ts'

const node = (over: Partial<V1Node> = {}, labels: Record<string, string> = {}): V1Node => ({
  metadata: { name: 'n1', labels },
  spec: {},
  status: {
    conditions: [{ type: 'Ready', status: 'True' }],
    addresses: [
      { type: 'Hostname', address: 'n1' },
      { type: 'InternalIP', address: '10.0.0.5' },
    ],
  },
  ...over,
})

test('a node becomes name, InternalIP and role', () => {
  assert.deepEqual(clusterNodeOf(node()), { name: 'n1', ip: '10.0.0.5', role: 'worker' })
  assert.equal(clusterNodeOf(node({}, { 'node-role.kubernetes.io/control-plane': '' })).role, 'control-plane')
  assert.throws(() => clusterNodeOf(node({ status: { addresses: [] } })), /node n1 has no InternalIP/)
})

test('schedulable: Ready, not cordoned, no NoSchedule or NoExecute taint (PreferNoSchedule is fine)', () => {
  assert.equal(isSchedulable(node()), true)
  assert.equal(isSchedulable(node({ spec: { unschedulable: true } })), false)
  assert.equal(
    isSchedulable(
      node({ spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } }),
    ),
    false,
  )
  assert.equal(isSchedulable(node({ spec: { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] } })), true)
  assert.equal(isSchedulable(node({ status: { conditions: [{ type: 'Ready', status: 'False' }] } })), false)
})
