import { test } from 'node:test'
import assert from 'node:assert/strict'
import { unmetNeeds } from '../capabilities.ts'
import { existingCapabilities } from './capabilities-of.ts'

test('nothing allowed, one schedulable node: every capability missing, each with what would give it', () => {
  const { capabilities, missing } = existingCapabilities({
    schedulableNodes: 1,
    allowPrivileged: false,
    outside: 'none',
    loadBalancer: false,
  })
  assert.equal(capabilities.size, 0)
  assert.deepEqual(
    missing.map((m) => m.capability),
    ['node-access', 'outside-client', 'two-workers', 'load-balancer'],
  )
  assert.match(missing[0]!.why, /--allow-privileged/)
  assert.match(missing[2]!.why, /1 schedulable node/)
  // The suite's skip reason for a scenario tagged @needs:node-access on this cluster.
  assert.deepEqual(unmetNeeds(['@needs:node-access'], capabilities, 'existing'), [
    "the existing provider lacks node-access: reading a node's iptables rules (iptables-save on the node)",
  ])
})

test('allowed and declared: node access, outside client from this host, two workers, load balancer', () => {
  const { capabilities, missing } = existingCapabilities({
    schedulableNodes: 3,
    allowPrivileged: true,
    outside: 'host',
    loadBalancer: true,
  })
  assert.deepEqual([...capabilities].sort(), [
    'load-balancer',
    'node-access',
    'outside-client',
    'two-workers',
  ])
  assert.deepEqual(missing, [])
})
