import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolveNodeWord } from './node-name.ts'
import type { ClusterNode } from '../../src/cluster/provider.ts'

const lab: ClusterNode[] = [
  { name: 'suite1-control-plane', ip: '172.18.0.2', role: 'control-plane' },
  { name: 'suite1-worker', ip: '172.18.0.3', role: 'worker' },
  { name: 'suite1-worker2', ip: '172.18.0.4', role: 'worker' },
]
const gke: ClusterNode[] = [
  { name: 'pool-b-2', ip: '10.0.0.7', role: 'worker' },
  { name: 'pool-a-1', ip: '10.0.0.5', role: 'worker' },
  { name: 'master-0', ip: '10.0.0.2', role: 'control-plane' },
]

test("kind's and the lab's names: the word itself or <cluster>-<word>", () => {
  assert.equal(resolveNodeWord('worker2', 'suite1', lab).ip, '172.18.0.4')
  assert.equal(resolveNodeWord('suite1-worker', 'suite1', lab).ip, '172.18.0.3')
  // A context name that is not the node prefix (the existing provider on a lab) still finds them by role.
  assert.equal(resolveNodeWord('worker', 'svcnet-suite1', lab).name, 'suite1-worker')
  assert.equal(resolveNodeWord('control-plane', 'svcnet-suite1', lab).name, 'suite1-control-plane')
})

test('any other cluster: by role, workers in name order', () => {
  assert.equal(resolveNodeWord('worker', 'prod', gke).name, 'pool-a-1')
  assert.equal(resolveNodeWord('worker2', 'prod', gke).name, 'pool-b-2')
  assert.equal(resolveNodeWord('control-plane', 'prod', gke).name, 'master-0')
  assert.throws(
    () => resolveNodeWord('worker3', 'prod', gke),
    /^Error: no node "worker3" \(by name or role\); nodes are pool-b-2 \(worker\), pool-a-1 \(worker\), master-0 \(control-plane\)$/,
  )
})
