import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FakeClock } from '../wait/clock.ts'
import { FakeIptables } from './iptables/fake-runner.ts'
import { makeService, makeSlice } from './iptables/test-objects.ts'
import { answerHealth } from './health-server.ts'
import { testProxier } from './test-proxier.ts'

function setup() {
  const clock = new FakeClock(1_700_000_000_000)
  const ipt = new FakeIptables()
  const logs: string[] = []
  const proxier = testProxier({
    nodeName: 'node-a',
    iptables: ipt,
    clock,
    log: (m) => logs.push(m),
  })
  proxier.start()
  return { clock, ipt, proxier, logs }
}

const web = makeService('default', 'web', {
  type: 'NodePort',
  clusterIP: '10.96.0.20',
  ports: [{ port: 80, nodePort: 30080 }],
})
const db = makeService('default', 'db', { clusterIP: '10.96.0.21', ports: [{ port: 5432 }] })
const webSlice = makeSlice('default', 'web', 'a', [{ port: 8080 }], [{ ip: '10.244.1.5', node: 'node-a' }])
const dbSlice = makeSlice('default', 'db', 'a', [{ port: 5432 }], [{ ip: '10.244.1.9', node: 'node-a' }])

test('nothing is programmed until both services and endpoint slices have synced', async () => {
  const { clock, ipt, proxier } = setup()
  proxier.services.onAdd(web)
  proxier.services.onSynced()
  proxier.endpointSlices.onAdd(webSlice)
  await clock.advance(60_000)
  assert.equal(ipt.restores.length, 0)
  assert.equal(answerHealth('/healthz', proxier.health).status, 503, 'no sync yet')
  proxier.endpointSlices.onSynced()
  await clock.advance(0)
  assert.equal(ipt.restores.length, 0, 'the node informer has not synced yet')
  proxier.nodes.onSynced()
  await clock.advance(0)
  assert.equal(ipt.restores.length, 1)
  assert.match(
    ipt.lastRestore!,
    /-A KUBE-NODEPORTS -m comment --comment default\/web -m tcp -p tcp --dport 30080 -j KUBE-EXT-/,
  )
  // Every jump into our chains and the canaries came in one ensure payload (no iptables -C/-I per jump), before the
  // sync's own restore, prepended in upstream's order.
  assert.equal(ipt.ensures.length, 1)
  assert.equal(ipt.ensuredRules.length, 0, 'no jump needed a command of its own')
  assert.deepEqual(ipt.rules('nat', 'PREROUTING'), [
    '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  ])
  assert.deepEqual(
    ipt.rules('filter', 'INPUT')?.map((r) => /-j (\S+)$/.exec(r)?.[1]),
    ['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES'],
  )
  for (const table of ['mangle', 'nat', 'filter'])
    assert.ok(await ipt.chainExists(table, 'KUBE-PROXY-CANARY'), `canary in ${table}`)
  const h = answerHealth('/healthz', proxier.health)
  assert.equal(h.status, 200)
  assert.deepEqual(Object.keys(JSON.parse(h.body)), [
    'lastUpdated',
    'currentTime',
    'nodeEligible',
    'healthy',
    'status',
  ])
  assert.deepEqual(Object.keys(JSON.parse(h.body).status), ['IPv4'], 'one proxier: one family')
})

test("an endpoint change leads to one partial sync with only that service's chains, after minSyncPeriod", async () => {
  const { clock, ipt, proxier } = setup()
  for (const s of [web, db]) proxier.services.onAdd(s)
  for (const s of [webSlice, dbSlice]) proxier.endpointSlices.onAdd(s)
  proxier.services.onSynced()
  proxier.endpointSlices.onSynced()
  proxier.nodes.onSynced()
  await clock.advance(0)
  assert.equal(ipt.restores.length, 1)
  const scaled = makeSlice(
    'default',
    'web',
    'a',
    [{ port: 8080 }],
    [
      { ip: '10.244.1.5', node: 'node-a' },
      { ip: '10.244.2.5', node: 'node-b' },
    ],
  )
  proxier.endpointSlices.onUpdate(webSlice, scaled)
  proxier.endpointSlices.onUpdate(webSlice, scaled)
  await clock.advance(999)
  assert.equal(ipt.restores.length, 1, 'min sync period respected')
  await clock.advance(1)
  assert.equal(ipt.restores.length, 2)
  const partial = ipt.lastRestore!
  assert.match(partial, /--probability 0\.5000000000/)
  assert.ok(!partial.includes('10.244.1.9'), 'db chains are not rewritten')
  assert.match(partial, /-d 10\.96\.0\.21 --dport 5432 -j KUBE-SVC-/, 'but db keeps its KUBE-SERVICES rule')
  assert.equal(ipt.ensures.length, 1, 'partial syncs do not ensure jumps again')
  assert.equal(ipt.rules('nat', 'PREROUTING')?.length, 1, 'the jump is there once')
  assert.equal(proxier.lastResult?.full, false)
})

test('a failed restore keeps health honest and forces the next sync to be full', async () => {
  const { clock, ipt, proxier, logs } = setup()
  proxier.services.onAdd(web)
  proxier.endpointSlices.onAdd(webSlice)
  proxier.services.onSynced()
  proxier.endpointSlices.onSynced()
  proxier.nodes.onSynced()
  await clock.advance(0)
  ipt.failNextRestores = 1
  proxier.services.onDelete(web)
  await clock.advance(1000)
  assert.equal(await proxier.metrics.value('kubeproxy_sync_proxy_rules_iptables_restore_failures_total'), 1)
  assert.equal(
    await proxier.metrics.value('kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total'),
    1,
  )
  assert.ok(logs.some((l) => l.startsWith('sync failed')))
  await clock.advance(29_999)
  assert.equal(ipt.restores.length, 2)
  await clock.advance(1)
  assert.equal(ipt.restores.length, 3, 'retried after syncPeriod')
  assert.equal(proxier.lastResult?.full, true)
  assert.match(ipt.lastRestore!, /-X KUBE-SVC-/, 'stale chains of the deleted service are removed')
})

test('healthz turns 503 when a queued update waits longer than 2 x syncPeriod', async () => {
  const { clock, ipt, proxier } = setup()
  proxier.services.onSynced()
  proxier.endpointSlices.onSynced()
  proxier.nodes.onSynced()
  await clock.advance(0)
  ipt.failNextRestores = 100
  proxier.services.onAdd(web)
  await clock.advance(59_000)
  assert.equal(answerHealth('/healthz', proxier.health).status, 200)
  await clock.advance(2_000)
  assert.equal(answerHealth('/healthz', proxier.health).status, 503)
  assert.equal(answerHealth('/livez', proxier.health).status, 503)
})

test('healthz is 503 while the Node is being deleted or tainted for deletion; livez stays 200', async () => {
  const { clock, proxier } = setup()
  proxier.services.onSynced()
  proxier.endpointSlices.onSynced()
  proxier.nodes.onAdd({ metadata: { name: 'node-a' } })
  proxier.nodes.onSynced()
  await clock.advance(0)
  assert.equal(answerHealth('/healthz', proxier.health).status, 200)
  const tainted = {
    metadata: { name: 'node-a' },
    spec: { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' }] },
  }
  proxier.nodes.onUpdate({ metadata: { name: 'node-a' } }, tainted)
  const h = answerHealth('/healthz', proxier.health)
  assert.equal(h.status, 503)
  assert.equal(JSON.parse(h.body).nodeEligible, false)
  assert.equal(answerHealth('/livez', proxier.health).status, 200)
  proxier.nodes.onUpdate(
    { metadata: { name: 'other' } },
    { metadata: { name: 'other', deletionTimestamp: new Date() } },
  )
  assert.equal(answerHealth('/healthz', proxier.health).status, 503, 'other nodes do not matter')
  proxier.nodes.onUpdate(tainted, { metadata: { name: 'node-a' } })
  assert.equal(answerHealth('/healthz', proxier.health).status, 200)
})
