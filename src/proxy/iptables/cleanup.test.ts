import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FakeClock } from '../../wait/clock.ts'
import { Proxier } from '../proxier.ts'
import { cleanupRules } from './cleanup.ts'
import { FakeIptables } from './fake-runner.ts'
import { makeService, makeSlice } from './test-objects.ts'

test('cleanup removes every jump and chain the proxy created, and nothing else', async () => {
  const ipt = new FakeIptables()
  await ipt.ensureChain('nat', 'DOCKER')
  await ipt.ensureRule('nat', 'PREROUTING', ['-j', 'DOCKER'])
  const proxier = new Proxier({
    nodeName: 'n',
    iptables: ipt,
    clock: new FakeClock(),
    syncPeriodMs: 30_000,
    minSyncPeriodMs: 1000,
    render: { clusterCIDR: '10.244.0.0/16' },
    log: () => {},
  })
  proxier.services.onAdd(
    makeService('ns', 'a', {
      type: 'NodePort',
      clusterIP: '10.96.0.1',
      ports: [{ port: 80, nodePort: 30080 }],
    }),
  )
  proxier.endpointSlices.onAdd(makeSlice('ns', 'a', 'x', [{ port: 80 }], [{ ip: '10.244.0.5' }]))
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  await proxier.syncProxyRules()
  assert.ok([...ipt.chains.get('nat')!].some((c) => c.startsWith('KUBE-SVC-')))
  const removed = await cleanupRules(ipt)
  assert.equal(removed.jumps, 14)
  for (const table of ['filter', 'nat', 'mangle']) {
    assert.deepEqual(
      [...ipt.chains.get(table)!].filter((c) => c.startsWith('KUBE-')),
      [],
      table,
    )
    for (const chain of ipt.chains.get(table)!)
      assert.ok(
        !ipt.rules(table, chain)!.some((r) => r.includes('KUBE-')),
        `${table} ${chain} still jumps to us`,
      )
  }
  assert.deepEqual(ipt.rules('nat', 'PREROUTING'), ['-j DOCKER'], 'foreign rules stay')
  assert.ok(ipt.chains.get('nat')!.has('DOCKER'))
  assert.deepEqual(await cleanupRules(ipt), { jumps: 0, chains: 0 }, 'safe to repeat')
})
