import { test } from 'node:test'
import assert from 'node:assert/strict'
import { planLab } from './plan.ts'
import { podHostVethName, podNetnsName, podNetworkCommands, setUpPodNetwork } from './pod-network.ts'

const t = planLab({ cluster: 'kind', workers: 1 }, 'ab12')
const worker = t.nodes[1]!
const uid = '6f1c2b3a-1111-2222-3333-444455556666'

test('pod names: namespace and node-side veth', () => {
  assert.equal(podNetnsName(t, uid), 'svcnet-kind-ab12-pod-6f1c2b3a')
  assert.equal(podHostVethName(uid), 'veth6f1c2b3a')
  assert.ok(podHostVethName('anything at all').length <= 15)
})

test('podNetworkCommands wires eth0 into the node bridge with hairpin and a default route', () => {
  const ns = podNetnsName(t, uid)
  assert.deepEqual(podNetworkCommands(worker, ns, uid, '10.244.1.7'), [
    ['ip', '-n', ns, 'link', 'set', 'lo', 'up'],
    [
      'ip',
      'link',
      'add',
      'eth0',
      'netns',
      ns,
      'type',
      'veth',
      'peer',
      'name',
      'veth6f1c2b3a',
      'netns',
      worker.netns,
    ],
    ['ip', '-n', worker.netns, 'link', 'set', 'veth6f1c2b3a', 'master', 'cni0'],
    ['ip', '-n', worker.netns, 'link', 'set', 'veth6f1c2b3a', 'type', 'bridge_slave', 'hairpin', 'on'],
    ['ip', '-n', worker.netns, 'link', 'set', 'veth6f1c2b3a', 'up'],
    ['ip', '-n', ns, 'addr', 'add', '10.244.1.7/24', 'dev', 'eth0'],
    ['ip', '-n', ns, 'link', 'set', 'eth0', 'up'],
    ['ip', '-n', ns, 'route', 'add', 'default', 'via', '10.244.1.1', 'dev', 'eth0'],
  ])
})

test('setUpPodNetwork refuses an address outside the node pod CIDR before touching anything', async () => {
  await assert.rejects(
    setUpPodNetwork(t, worker, { uid, ip: '10.244.0.5' }),
    /not a pod address of node kind-worker/,
  )
  await assert.rejects(setUpPodNetwork(t, worker, { uid, ip: '10.244.1.1' }), /not a pod address/)
})
