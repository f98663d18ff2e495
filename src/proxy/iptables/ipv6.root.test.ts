// Needs root: the IPv6 proxier's full sync through the real ip6tables (legacy and nft) in a network namespace this
// test creates, read back with ip6tables-save and traced.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { run } from '../../exec/run.ts'
import { FakeClock } from '../../wait/clock.ts'
import { iptablesBinary } from '../ip-family.ts'
import { missingJumps } from './jump-rules.ts'
import { parseIptablesSave } from './restore-parse.ts'
import { SystemIptables } from './runner.ts'
import { tracePacket } from '../trace/trace.ts'
import { makeService, makeSlice } from './test-objects.ts'
import { testProxier } from '../test-proxier.ts'

const isRoot = process.getuid?.() === 0

for (const backend of ['legacy', 'nft'] as const) {
  test(
    `IPv6 full sync with ip6tables-${backend}: rules, jumps and canaries in place, a packet DNATed to [ip]:port`,
    { skip: isRoot ? false : 'needs root (network namespaces, ip6tables)' },
    async () => {
      const netns = `svcnet-proxytest-${randomBytes(4).toString('hex')}`
      await run('ip', ['netns', 'add', netns])
      try {
        const ipt = new SystemIptables({ netns, binary: iptablesBinary('IPv6', backend) })
        const proxier = testProxier({
          nodeName: 'n1',
          ipFamily: 'IPv6',
          iptables: ipt,
          clock: new FakeClock(),
          render: { clusterCIDR: 'fd00:10:244::/56', localhostNodePorts: true },
        })
        proxier.services.onAdd(
          makeService(
            'default',
            'web',
            {
              type: 'LoadBalancer',
              clusterIP: 'fd00:10:96::20',
              loadBalancerSourceRanges: ['2001:db8:1::/48'],
              sessionAffinity: 'ClientIP',
              ports: [{ port: 80, nodePort: 30080 }],
            },
            { loadBalancer: { ingress: [{ ip: '2001:db8::50' }] } },
          ),
        )
        proxier.endpointSlices.onAdd(
          makeSlice(
            'default',
            'web',
            'a',
            [{ port: 8080 }],
            [{ ip: 'fd00:10:244:1::5', node: 'n1' }, { ip: 'fd00:10:244:2::5' }],
            'IPv6',
          ),
        )
        proxier.services.onSynced()
        proxier.endpointSlices.onSynced()
        proxier.nodes.onSynced()
        const result = await proxier.syncProxyRules()
        assert.equal(result?.full, true)
        const saved = parseIptablesSave((await ipt.save('filter')) + (await ipt.save('nat')))
        assert.deepEqual(missingJumps(saved), [], 'every jump from the built-in chains exists')
        const nat = await ipt.save('nat')
        assert.match(nat, /-d fd00:10:96::20\/128 .*--dport 80 -j KUBE-SVC-/)
        assert.match(nat, /--to-destination \[fd00:10:244:2::5\]:8080/)
        assert.match(nat, /! -d ::1\/128 .*-j KUBE-NODEPORTS/)
        // The kubelet's KUBE-FIREWALL jumps are ensured on every family (as upstream), but the chain stays empty.
        assert.doesNotMatch(await ipt.save('filter'), /^-A KUBE-FIREWALL/m)
        const outcomes = tracePacket(
          saved,
          { src: '2001:db8:1::9', dst: '2001:db8::50', dport: 80 },
          { localIPs: [] },
        )
        assert.deepEqual(outcomes.map((o) => o.destination).sort(), [
          '[fd00:10:244:1::5]:8080',
          '[fd00:10:244:2::5]:8080',
        ])
        const blocked = tracePacket(
          saved,
          { src: '2001:db8:2::9', dst: '2001:db8::50', dport: 80 },
          { localIPs: [] },
        )
        assert.deepEqual(
          blocked.map((o) => o.verdict),
          ['DROP'],
          'outside loadBalancerSourceRanges',
        )
      } finally {
        await run('ip', ['netns', 'delete', netns])
      }
    },
  )
}
