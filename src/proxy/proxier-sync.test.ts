// The proxier's partial syncs, stale-chain cleanup and recovery, against upstream's TestSyncProxyRulesRepeated dumps
// (pkg/proxy/iptables/proxier_test.go; expected output written down here as facts), on a fake iptables that fails
// like iptables-restore does.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { V1EndpointSlice } from '@kubernetes/client-node'
import { FakeClock } from '../wait/clock.ts'
import { FakeIptables } from './iptables/fake-runner.ts'
import { sortDump } from './iptables/restore-parse.ts'
import { dedent, makeService, makeSlice } from './iptables/test-objects.ts'
import { testProxier } from './test-proxier.ts'

// Upstream's fake proxier: node "test-node", detector 10.0.0.0/8, mark 0x4000, no nfacct.
function setup(start = true) {
  const clock = new FakeClock(1_700_000_000_000)
  const ipt = new FakeIptables()
  const logs: string[] = []
  const proxier = testProxier({
    iptables: ipt,
    clock,
    render: { clusterCIDR: '10.0.0.0/8', masqueradeMark: '0x4000' },
    log: (m) => logs.push(m),
  })
  if (start) proxier.start()
  return { clock, ipt, proxier, logs }
}

const FILTER = `*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
{REJECT}-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
`
const NAT_FIXED = `-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE`

// One expected dump: the fixed filter table (with optional REJECT lines) and the nat table's varying parts.
function dump(nat: { chains: string; services: string; rules: string }, reject = ''): string {
  const chains = dedent(nat.chains).trim()
  return (
    FILTER.replace('{REJECT}', reject ? dedent(reject) : '') +
    '*nat\n:KUBE-NODEPORTS - [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-POSTROUTING - [0:0]\n' +
    (chains ? chains + '\n' : '') +
    dedent(nat.services) +
    NAT_FIXED +
    '\n' +
    (dedent(nat.rules).trim() ? dedent(nat.rules) : '') +
    'COMMIT\n'
  )
}

const svcRule = (ns: string, port: number, ip: string, chain: string) =>
  `-A KUBE-SERVICES -m comment --comment "${ns}:p${port} cluster IP" -m tcp -p tcp -d ${ip} --dport ${port} -j ${chain}`
const S1 = svcRule('ns1/svc1', 80, '172.30.0.41', 'KUBE-SVC-XPGD46QRK7WJZT7O')
const S2 = svcRule('ns2/svc2', 8080, '172.30.0.42', 'KUBE-SVC-2VJB64SDSIJUP5T6')
const S3 = svcRule('ns3/svc3', 80, '172.30.0.43', 'KUBE-SVC-X27LE4BHSL4DOUIK')
const S4 = svcRule('ns4/svc4', 80, '172.30.0.44', 'KUBE-SVC-4SW47YFZTEDKD3PK')

const service = (ns: string, name: string, ip: string, port: number) =>
  makeService(ns, name, {
    type: 'ClusterIP',
    clusterIP: ip,
    ports: [{ name: `p${port}`, port, protocol: 'TCP' }],
  })
const slice = (ns: string, name: string, port: number, ips: string[]): V1EndpointSlice =>
  makeSlice(
    ns,
    name,
    '1',
    [{ name: `p${port}`, port }],
    ips.map((ip) => ({ ip })),
  )

test('TestSyncProxyRulesRepeated: partial syncs write only what changed, delete stale chains, recover after a failure', async () => {
  const { ipt, proxier } = setup(false)
  const svc2 = service('ns2', 'svc2', '172.30.0.42', 8080)
  proxier.services.onAdd(service('ns1', 'svc1', '172.30.0.41', 80))
  proxier.services.onAdd(svc2)
  proxier.endpointSlices.onAdd(slice('ns1', 'svc1', 80, ['10.0.1.1']))
  proxier.endpointSlices.onAdd(slice('ns2', 'svc2', 8080, ['10.0.2.1']))
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  const sync = async () => {
    await proxier.syncProxyRules()
    return sortDump(ipt.lastRestore!)
  }

  assert.equal(
    await sync(),
    dump({
      chains: `
        :KUBE-SEP-SNQ3ZNILQDEJNDQO - [0:0]
        :KUBE-SEP-UHEGFW77JX3KXTOV - [0:0]
        :KUBE-SVC-2VJB64SDSIJUP5T6 - [0:0]
        :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]`,
      services: `${S1}\n${S2}`,
      rules: `
        -A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ
        -A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
        -A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -s 10.0.2.1 -j KUBE-MARK-MASQ
        -A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -m tcp -p tcp -j DNAT --to-destination 10.0.2.1:8080
        -A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
        -A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 -> 10.0.2.1:8080" -j KUBE-SEP-UHEGFW77JX3KXTOV
        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO`,
    }),
  )

  // Add a new service and its endpoints: only its SVC and SEP chains are written.
  proxier.services.onAdd(service('ns3', 'svc3', '172.30.0.43', 80))
  const eps3 = slice('ns3', 'svc3', 80, ['10.0.3.1'])
  proxier.endpointSlices.onAdd(eps3)
  assert.equal(
    await sync(),
    dump({
      chains: `
        :KUBE-SEP-BSWRHOQ77KEXZLNL - [0:0]
        :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]`,
      services: `${S1}\n${S2}\n${S3}`,
      rules: `
        -A KUBE-SEP-BSWRHOQ77KEXZLNL -m comment --comment ns3/svc3:p80 -s 10.0.3.1 -j KUBE-MARK-MASQ
        -A KUBE-SEP-BSWRHOQ77KEXZLNL -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.1:80
        -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
        -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.1:80" -j KUBE-SEP-BSWRHOQ77KEXZLNL`,
    }),
  )
  assert.equal(proxier.lastResult?.full, false)

  // Delete a service: its chains are flushed and deleted, the others are not rewritten.
  proxier.services.onDelete(svc2)
  assert.equal(
    await sync(),
    dump({
      chains: `
        :KUBE-SEP-UHEGFW77JX3KXTOV - [0:0]
        :KUBE-SVC-2VJB64SDSIJUP5T6 - [0:0]`,
      services: `${S1}\n${S3}`,
      rules: `
        -X KUBE-SEP-UHEGFW77JX3KXTOV
        -X KUBE-SVC-2VJB64SDSIJUP5T6`,
    }),
  )

  // A service without endpoints gets only the filter REJECT; its endpoints then create its chains.
  const svc4 = service('ns4', 'svc4', '172.30.0.44', 80)
  proxier.services.onAdd(svc4)
  const reject4 =
    '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j REJECT'
  assert.equal(await sync(), dump({ chains: '', services: `${S1}\n${S3}`, rules: '' }, reject4))
  proxier.endpointSlices.onAdd(slice('ns4', 'svc4', 80, ['10.0.4.1']))
  assert.equal(
    await sync(),
    dump({
      chains: `
        :KUBE-SEP-AYCN5HPXMIRJNJXU - [0:0]
        :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]`,
      services: `${S1}\n${S3}\n${S4}`,
      rules: `
        -A KUBE-SEP-AYCN5HPXMIRJNJXU -m comment --comment ns4/svc4:p80 -s 10.0.4.1 -j KUBE-MARK-MASQ
        -A KUBE-SEP-AYCN5HPXMIRJNJXU -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.4.1:80
        -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
        -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.0.4.1:80" -j KUBE-SEP-AYCN5HPXMIRJNJXU`,
    }),
  )

  // Change an endpoint: the service's SVC and SEP chains are rewritten, the old SEP deleted.
  const eps3b = slice('ns3', 'svc3', 80, ['10.0.3.2'])
  proxier.endpointSlices.onUpdate(eps3, eps3b)
  assert.equal(
    await sync(),
    dump({
      chains: `
        :KUBE-SEP-BSWRHOQ77KEXZLNL - [0:0]
        :KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]
        :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]`,
      services: `${S1}\n${S3}\n${S4}`,
      rules: `
        -A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -s 10.0.3.2 -j KUBE-MARK-MASQ
        -A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.2:80
        -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
        -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.2:80" -j KUBE-SEP-DKCFIS26GWF2WLWC
        -X KUBE-SEP-BSWRHOQ77KEXZLNL`,
    }),
  )

  // Add an endpoint.
  const eps3c = slice('ns3', 'svc3', 80, ['10.0.3.2', '10.0.3.3'])
  proxier.endpointSlices.onUpdate(eps3b, eps3c)
  const svc3Rules = `
    -A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -s 10.0.3.2 -j KUBE-MARK-MASQ
    -A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.2:80
    -A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -s 10.0.3.3 -j KUBE-MARK-MASQ
    -A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.3:80`
  const svc3Chain = `
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-DKCFIS26GWF2WLWC
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.3:80" -j KUBE-SEP-JVVZVJ7BSEPPRNBS`
  assert.equal(
    await sync(),
    dump({
      chains: `
        :KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]
        :KUBE-SEP-JVVZVJ7BSEPPRNBS - [0:0]
        :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]`,
      services: `${S1}\n${S3}\n${S4}`,
      rules: dedent(svc3Rules) + dedent(svc3Chain),
    }),
  )

  // A sync with no changes rewrites no service chain.
  assert.equal(await sync(), dump({ chains: '', services: `${S1}\n${S3}\n${S4}`, rules: '' }))

  // A failed partial restore (upstream provokes one with a dangling jump) is counted, and the retry is a full sync
  // that rewrites everything and deletes svc4's chains.
  ipt.failNextRestores = 1
  proxier.services.onDelete(svc4)
  await assert.rejects(proxier.syncProxyRules(), /iptables-restore failed; previous rules left in place/)
  assert.equal(
    await proxier.metrics.value('kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total'),
    1,
  )
  assert.ok(ipt.chains.get('nat')?.has('KUBE-SEP-AYCN5HPXMIRJNJXU'), 'the failed restore changed nothing')
  assert.equal(
    await sync(),
    dump({
      chains: `
        :KUBE-SEP-AYCN5HPXMIRJNJXU - [0:0]
        :KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]
        :KUBE-SEP-JVVZVJ7BSEPPRNBS - [0:0]
        :KUBE-SEP-SNQ3ZNILQDEJNDQO - [0:0]
        :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
        :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
        :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]`,
      services: `${S1}\n${S3}`,
      rules:
        dedent(svc3Rules) +
        dedent(`
          -A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ
          -A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80`) +
        dedent(svc3Chain) +
        dedent(`
          -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
          -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO
          -X KUBE-SEP-AYCN5HPXMIRJNJXU
          -X KUBE-SVC-4SW47YFZTEDKD3PK`),
    }),
  )
  assert.equal(proxier.lastResult?.full, true)
})

test('services created while a sync waits for iptables never make a restore fail (changed set and snapshot taken together)', async () => {
  const { ipt, proxier, clock } = setup()
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  await clock.advance(0)
  let created = 0
  // 20 "clients" each create 25 Services with endpoints while the proxier is inside its iptables-save.
  ipt.onSave = () => {
    for (let c = 0; c < 20 && created < 500; c++) {
      const i = created++
      const ns = `load-${c}`
      const ip = `172.30.${1 + Math.floor(i / 250)}.${i % 250}`
      proxier.services.onAdd(service(ns, `svc-${i}`, ip, 80))
      proxier.endpointSlices.onAdd(slice(ns, `svc-${i}`, 80, [`10.1.${Math.floor(i / 250)}.${i % 250}`]))
    }
  }
  for (let round = 0; round < 200 && created < 500; round++) await clock.advance(1000)
  ipt.onSave = undefined
  await clock.advance(1000)
  assert.equal(created, 500)
  assert.equal(await proxier.metrics.value('kubeproxy_sync_proxy_rules_iptables_restore_failures_total'), 0)
  const services = ipt.rules('nat', 'KUBE-SERVICES') ?? []
  assert.equal(services.filter((r) => r.includes('cluster IP')).length, 500, 'every service is programmed')
  for (const r of services) {
    const target = /-j (KUBE-SVC-\S+)/.exec(r)?.[1]
    if (target) assert.ok((ipt.rules('nat', target)?.length ?? 0) > 0, `${target} has rules`)
  }
})

test('the canary notices a flushed nat table within a sync period and a full sync puts everything back', async () => {
  const { ipt, proxier, clock, logs } = setup()
  proxier.services.onAdd(service('ns1', 'svc1', '172.30.0.41', 80))
  proxier.endpointSlices.onAdd(slice('ns1', 'svc1', 80, ['10.0.1.1']))
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  await clock.advance(0)
  for (const t of ['mangle', 'nat', 'filter']) assert.ok(ipt.chains.get(t)?.has('KUBE-PROXY-CANARY'), t)
  const before = ipt.restores.length
  // `iptables -t nat -F` then `-X`: every rule and chain of ours in nat is gone.
  ipt.flushTable('nat')
  await clock.advance(30_000)
  assert.ok(
    logs.some((l) => /canary chain KUBE-PROXY-CANARY is gone from the nat table/.test(l)),
    logs.join('\n'),
  )
  await clock.advance(1000)
  assert.ok(ipt.restores.length > before)
  assert.equal(proxier.lastResult?.full, true)
  assert.ok(ipt.rules('nat', 'PREROUTING')?.some((r) => r.includes('-j KUBE-SERVICES')))
  assert.equal(ipt.rules('nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')?.length, 2)
})

test('a flush that empties chains without deleting them (iptables -t nat -F) is noticed by the missing jump', async () => {
  const { ipt, proxier, clock, logs } = setup()
  proxier.services.onAdd(service('ns1', 'svc1', '172.30.0.41', 80))
  proxier.endpointSlices.onAdd(slice('ns1', 'svc1', 80, ['10.0.1.1']))
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  await clock.advance(0)
  for (const chain of ipt.chains.get('nat') ?? []) ipt.rules('nat', chain)!.length = 0
  assert.equal(await proxier.checkRules(), 'nat PREROUTING no longer jumps to KUBE-SERVICES')
  await clock.advance(1000)
  assert.equal(proxier.lastResult?.full, true)
  assert.ok(ipt.rules('nat', 'PREROUTING')?.some((r) => r.includes('-j KUBE-SERVICES')))
  assert.equal(ipt.rules('nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')?.length, 2)
  assert.ok(logs.some((l) => l.includes('forcing a full sync')))
})

test('after a sync that removed a UDP endpoint, its conntrack entries are deleted', async () => {
  const deleted: string[] = []
  const ct = testProxier({
    iptables: new FakeIptables(),
    render: {},
    conntrack: { deleteEntries: async (f) => (deleted.push(f.join(' ')), 1) },
  })
  const dns = makeService('kube-system', 'kube-dns', {
    clusterIP: '10.96.0.10',
    ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
  })
  const old = makeSlice(
    'kube-system',
    'kube-dns',
    'a',
    [{ name: 'dns', port: 53, protocol: 'UDP' }],
    [{ ip: '10.244.1.5' }],
  )
  const replaced = makeSlice(
    'kube-system',
    'kube-dns',
    'a',
    [{ name: 'dns', port: 53, protocol: 'UDP' }],
    [{ ip: '10.244.2.7' }],
  )
  ct.services.onAdd(dns)
  ct.endpointSlices.onAdd(old)
  for (const h of [ct.services, ct.endpointSlices, ct.nodes]) h.onSynced()
  await ct.syncProxyRules()
  assert.deepEqual(deleted, ['--orig-dst 10.96.0.10 -p udp'])
  ct.endpointSlices.onUpdate(old, replaced)
  await ct.syncProxyRules()
  assert.deepEqual(deleted.slice(1), ['--orig-dst 10.96.0.10 --dst-nat 10.244.1.5 -p udp'])
})

test('a sync feeds the health-check node ports, observes network programming latency, uses the Node InternalIP', async () => {
  const clock = new FakeClock(Date.parse('2026-12-01T12:00:10Z'))
  const ipt = new FakeIptables()
  const synced: string[] = []
  const proxier = testProxier({
    iptables: ipt,
    clock,
    render: { clusterCIDR: '10.0.0.0/8' },
    serviceHealth: {
      sync: async (t) => void synced.push(JSON.stringify([...t])),
      close: async () => {},
    },
  })
  const lb = makeService(
    'ns5',
    'svc5',
    {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      clusterIP: '172.30.0.45',
      healthCheckNodePort: 30500,
      loadBalancerSourceRanges: ['192.168.0.0/24'],
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }],
    },
    { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
  )
  const eps = slice('ns5', 'svc5', 80, ['10.180.0.3'])
  eps.endpoints![0]!.nodeName = 'test-node'
  eps.metadata!.annotations = { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-12-01T12:00:08Z' }
  proxier.nodes.onAdd({
    metadata: { name: 'test-node' },
    status: { addresses: [{ type: 'InternalIP', address: '192.168.0.2' }] },
  })
  proxier.services.onAdd(lb)
  proxier.endpointSlices.onAdd(eps)
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  await proxier.syncProxyRules()
  assert.deepEqual(synced, ['[[30500,{"service":"ns5/svc5","localEndpoints":1}]]'])
  assert.match(
    ipt.lastRestore!,
    /"ns5\/svc5:p80 loadbalancer IP" -s 5\.6\.7\.8 -j KUBE-EXT-/,
    'node IP in the range',
  )
  const text = await proxier.metrics.render()
  assert.match(text, /kubeproxy_network_programming_duration_seconds_count\{ip_family="IPv4"\} 1/)
  assert.match(text, /kubeproxy_network_programming_duration_seconds_sum\{ip_family="IPv4"\} 2/)
})

test('large clusters: partial syncs skip the iptables-save scan yet delete the chains of a removed service', async () => {
  const { ipt, proxier } = setup(false)
  const five = (i: number) => [1, 2, 3, 4, 5].map((k) => `10.1.${i}.${k}`)
  for (let i = 0; i < 250; i++) {
    proxier.services.onAdd(service('ns', `s${i}`, `172.30.1.${i}`, 80))
    proxier.endpointSlices.onAdd(slice('ns', `s${i}`, 80, five(i)))
  }
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  let saves = 0
  ipt.onSave = () => void saves++
  await proxier.syncProxyRules()
  const afterFull = saves
  assert.ok(afterFull >= 1, 'the full sync scans')
  assert.ok(
    !ipt.lastRestore!.includes('-m comment --comment ns/s0:p80 -s'),
    '1250 endpoints: SEP comments dropped',
  )
  proxier.services.onDelete(service('ns', 's7', '172.30.1.7', 80))
  await proxier.syncProxyRules()
  assert.equal(saves, afterFull, 'the partial sync does not')
  const deleted = ipt.lastRestore!.split('\n').filter((l) => l.startsWith('-X '))
  assert.equal(deleted.length, 6, "s7's KUBE-SVC and its 5 KUBE-SEP chains")
  const left = [...ipt.chains.get('nat')!].filter((c) => /^KUBE-(SVC|SEP)-/.test(c))
  assert.equal(left.length, 249 * 6, 'every other service keeps its chains')
})
