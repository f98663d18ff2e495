// Needs root: a real sync then `cleanup` in a scratch network namespace, on both iptables backends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { run } from '../../exec/run.ts'
import { FakeClock } from '../../wait/clock.ts'
import { Proxier } from '../proxier.ts'
import { cleanupRules } from './cleanup.ts'
import { missingJumps } from './jump-rules.ts'
import { parseIptablesSave } from './restore-parse.ts'
import { SystemIptables } from './runner.ts'
import { makeService, makeSlice } from './test-objects.ts'

const isRoot = process.getuid?.() === 0

for (const backend of ['legacy', 'nft'] as const) {
  test(
    `cleanup leaves no KUBE- chain or jump behind (${backend})`,
    { skip: isRoot ? false : 'needs root (network namespaces, iptables)' },
    async () => {
      const netns = `svcnet-test-cl-${randomBytes(4).toString('hex')}`
      await run('ip', ['netns', 'add', netns])
      try {
        const ipt = new SystemIptables({ netns, binary: `iptables-${backend}` })
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
        const before = (await ipt.save('nat')) + (await ipt.save('filter'))
        assert.match(before, /KUBE-SVC-/)
        assert.deepEqual(
          missingJumps(parseIptablesSave(before)),
          [],
          `${backend}: iptables-save shows every jump as ensured`,
        )
        await cleanupRules(ipt)
        const after = (await ipt.save('nat')) + (await ipt.save('filter')) + (await ipt.save('mangle'))
        assert.ok(!after.includes('KUBE-'), after)
      } finally {
        await run('ip', ['netns', 'delete', netns])
      }
    },
  )
}
