import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cleanupRules } from './cleanup.ts'
import { FakeIptables } from './fake-runner.ts'
import { syncOneNodePortService, testProxier } from '../test-proxier.ts'

test('cleanup removes every jump and chain the proxy created, and nothing else', async () => {
  const ipt = new FakeIptables()
  await ipt.ensureChain('nat', 'DOCKER')
  await ipt.ensureRule('nat', 'PREROUTING', ['-j', 'DOCKER'])
  const proxier = testProxier({ nodeName: 'n', iptables: ipt })
  await syncOneNodePortService(proxier)
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
