// Needs root: applies rendered rules with the real iptables inside a network namespace this test creates.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { run } from '../../exec/run.ts'
import { RunError } from '../../exec/run-error.ts'
import { FakeClock } from '../../wait/clock.ts'
import { missingJumps } from './jump-rules.ts'
import { parseIptablesSave } from './restore-parse.ts'
import { RestoreError, SystemIptables } from './runner.ts'
import { tracePacket } from '../trace/trace.ts'
import { makeService, makeSlice } from './test-objects.ts'
import { testProxier } from '../test-proxier.ts'

const isRoot = process.getuid?.() === 0

test(
  'full sync in a private netns, read back with iptables-save; a broken payload changes nothing',
  { skip: isRoot ? false : 'needs root (network namespaces, iptables)' },
  async () => {
    const netns = `svcnet-proxytest-${randomBytes(4).toString('hex')}`
    await run('ip', ['netns', 'add', netns])
    try {
      const ipt = new SystemIptables({ netns })
      const logs: string[] = []
      const proxier = testProxier({
        nodeName: 'kind-worker',
        iptables: ipt,
        clock: new FakeClock(),
        log: (m) => logs.push(m),
      })
      proxier.services.onAdd(
        makeService('default', 'hello-world', {
          type: 'NodePort',
          clusterIP: '10.96.100.10',
          ports: [{ port: 80, nodePort: 32233 }],
        }),
      )
      proxier.endpointSlices.onAdd(
        makeSlice(
          'default',
          'hello-world',
          'a',
          [{ port: 8080 }],
          [
            { ip: '10.244.1.5', node: 'kind-worker' },
            { ip: '10.244.2.5', node: 'kind-worker2' },
          ],
        ),
      )
      proxier.services.onSynced()
      proxier.endpointSlices.onSynced()
      proxier.nodes.onSynced()
      const result = await proxier.syncProxyRules()
      assert.equal(result?.full, true)

      const nat = await ipt.save('nat')
      assert.match(
        nat,
        /-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/hello-world" -m tcp --dport 32233 -j KUBE-EXT-DZ6LTOHRG6HQWHYE/,
      )
      assert.match(
        nat,
        /-A KUBE-SVC-DZ6LTOHRG6HQWHYE .*--probability 0\.50000000000 -j KUBE-SEP-/,
        'iptables-save prints 11 decimals',
      )
      assert.match(nat, /-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES/)
      assert.match(
        nat,
        /-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING/,
      )
      assert.match(
        nat,
        /-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000\/0x4000/,
        'the 0x00004000 mark reads back as 0x4000',
      )
      const filter = await ipt.save('filter')
      assert.deepEqual(
        missingJumps(parseIptablesSave(filter + nat)),
        [],
        'every jump is recognised in real iptables-save output, so steady full syncs insert nothing',
      )
      assert.match(filter, /-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD/)

      // The tracer reads real iptables-save output (/32 suffixes, -p before -m comment, --set-xmark, 11 decimals).
      const outcomes = tracePacket(
        parseIptablesSave(filter + nat),
        { src: '172.18.0.9', dst: '172.18.0.2', dport: 32233 },
        { localIPs: ['172.18.0.2'] },
      )
      assert.deepEqual(outcomes.map((o) => `${o.destination} ${o.masqueraded} ${o.probability}`).sort(), [
        '10.244.1.5:8080 true 0.5',
        '10.244.2.5:8080 true 0.5',
      ])
      proxier.forceFullSync()
      await proxier.syncProxyRules()
      const again = await ipt.save('nat')
      assert.equal(again.match(/-A PREROUTING .*KUBE-SERVICES/g)?.length, 1)

      const broken = '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-NO-SUCH-CHAIN\nCOMMIT\n'
      await assert.rejects(ipt.restore(broken), (err: unknown) => {
        assert.ok(err instanceof RestoreError)
        assert.ok(err.cause instanceof RunError)
        assert.match(err.message, /previous rules left in place/)
        return true
      })
      const after = await ipt.save('nat')
      assert.deepEqual(stripComments(after), stripComments(again), 'nothing changed after the failed restore')
      assert.match(after, /--dport 32233 -j KUBE-EXT-/)
    } finally {
      await run('ip', ['netns', 'delete', netns])
    }
  },
)

// Drops the `#` header/footer lines (they carry timestamps) and counters.
function stripComments(dump: string): string {
  return dump
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/, '[0:0]'))
    .join('\n')
}
