import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildSnapshot } from '../snapshot.ts'
import { renderRules, type RenderOptions } from './render.ts'
import { sortDump } from './restore-parse.ts'
import { checkRestore } from './rule-check.ts'
import { dedent, makeService, makeSlice, overallRulesObjects } from './test-objects.ts'

// Upstream's NewFakeProxier settings: node "test-node", detector 10.0.0.0/8, mark 0x4000, nfacct counters present.
const UPSTREAM_OPTS: RenderOptions = { clusterCIDR: '10.0.0.0/8', masqueradeMark: '0x4000', nfacct: true }

test('TestOverallIPTablesRules: the upstream golden dump, rule for rule', () => {
  const { services, slices } = overallRulesObjects()
  const expected = dedent(`
    *filter
    :KUBE-NODEPORTS - [0:0]
    :KUBE-SERVICES - [0:0]
    :KUBE-EXTERNAL-SERVICES - [0:0]
    :KUBE-FIREWALL - [0:0]
    :KUBE-FORWARD - [0:0]
    :KUBE-PROXY-FIREWALL - [0:0]
    -A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
    -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
    -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
    -A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    -A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
    COMMIT
    *nat
    :KUBE-NODEPORTS - [0:0]
    :KUBE-SERVICES - [0:0]
    :KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
    :KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
    :KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
    :KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-MARK-MASQ - [0:0]
    :KUBE-POSTROUTING - [0:0]
    :KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
    :KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
    :KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
    :KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
    :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
    :KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
    :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
    :KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
    :KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
    :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
    -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
    -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
    -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
    -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
    -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
    -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
    -A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
    -A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
    -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
    -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
    -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
    -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
    -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
    -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
    -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
    -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
    -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
    -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
    -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
    -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
    -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
    -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
    -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
    -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
    -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
    -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
    -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
    COMMIT
  `)
  const r = renderRules(buildSnapshot(services, slices, 'test-node'), UPSTREAM_OPTS)
  assert.equal(sortDump(r.restore), expected)
  assert.deepEqual(checkRestore(r.restore), [])
})

test('issue case: NodePort default/hello-world 80->8080 nodePort 32233 with 2 endpoints', () => {
  const svc = makeService('default', 'hello-world', {
    type: 'NodePort',
    clusterIP: '10.96.12.34',
    ports: [{ port: 80, targetPort: 8080, nodePort: 32233, protocol: 'TCP' }],
  })
  const slice = makeSlice(
    'default',
    'hello-world',
    'abc',
    [{ port: 8080 }],
    [
      { ip: '10.244.1.5', node: 'kind-worker' },
      { ip: '10.244.2.7', node: 'kind-worker2' },
    ],
  )
  const r = renderRules(buildSnapshot([svc], [slice], 'kind-worker'), { clusterCIDR: '10.244.0.0/16' })
  const lines = r.restore.split('\n')
  const h = 'DZ6LTOHRG6HQWHYE'
  assert.ok(
    lines.includes(
      `-A KUBE-NODEPORTS -m comment --comment default/hello-world -m tcp -p tcp --dport 32233 -j KUBE-EXT-${h}`,
    ),
  )
  const svcRules = lines.filter((l) => l.startsWith(`-A KUBE-SVC-${h} `))
  assert.deepEqual(svcRules.length, 3)
  assert.match(svcRules[0]!, /! -s 10\.244\.0\.0\/16 -j KUBE-MARK-MASQ$/)
  assert.match(
    svcRules[1]!,
    /"default\/hello-world -> 10\.244\.1\.5:8080" -m statistic --mode random --probability 0\.5000000000 -j KUBE-SEP-/,
  )
  assert.ok(!svcRules[2]!.includes('statistic'))
  assert.match(svcRules[2]!, /-> 10\.244\.2\.7:8080" -j KUBE-SEP-/)
  assert.ok(
    lines.includes('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000'),
    'real restore input uses %#08x of the mark',
  )
  assert.equal(lines.at(-2), 'COMMIT')
  assert.deepEqual(checkRestore(r.restore), [])
})

test('three endpoints get probabilities 1/3 and 1/2, formatted with 10 decimals', () => {
  const svc = makeService('ns', 's', { clusterIP: '10.96.0.5', ports: [{ name: 'http', port: 80 }] })
  const slice = makeSlice(
    'ns',
    's',
    'x',
    [{ name: 'http', port: 80 }],
    [{ ip: '10.244.0.3' }, { ip: '10.244.0.2' }, { ip: '10.244.0.10' }],
  )
  const r = renderRules(buildSnapshot([svc], [slice], 'n'), {})
  const probs = [...r.restore.matchAll(/--probability (\S+)/g)].map((m) => m[1])
  assert.deepEqual(probs, ['0.3333333333', '0.5000000000'])
  // sorted by ip:port string, as upstream sorts endpoints
  const order = [...r.restore.matchAll(/-> (\S+)"/g)].map((m) => m[1])
  assert.deepEqual(order, ['10.244.0.10:80', '10.244.0.2:80', '10.244.0.3:80'])
})

test('a service without endpoints gets only a filter REJECT, and nothing in nat', () => {
  const svc = makeService('ns', 'empty', {
    type: 'NodePort',
    clusterIP: '10.96.0.9',
    ports: [{ port: 80, nodePort: 30080 }],
  })
  const r = renderRules(buildSnapshot([svc], [], 'n'), {})
  assert.match(
    r.restore,
    /-A KUBE-SERVICES -m comment --comment "ns\/empty has no endpoints" -m tcp -p tcp -d 10\.96\.0\.9 --dport 80 -j REJECT/,
  )
  assert.match(
    r.restore,
    /-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns\/empty has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT/,
  )
  assert.ok(!/KUBE-(SVC|SEP|EXT)-/.test(r.restore))
})

test('internalTrafficPolicy Local: SVL chain with local endpoints, DROP when none are local', () => {
  const svc = makeService('ns', 'itp', {
    clusterIP: '10.96.0.7',
    internalTrafficPolicy: 'Local',
    ports: [{ port: 53, protocol: 'UDP' }],
  })
  const slice = makeSlice(
    'ns',
    'itp',
    'x',
    [{ port: 5353, protocol: 'UDP' }],
    [
      { ip: '10.244.1.2', node: 'a' },
      { ip: '10.244.2.2', node: 'b' },
    ],
  )
  const onA = renderRules(buildSnapshot([svc], [slice], 'a'), { clusterCIDR: '10.244.0.0/16' }).restore
  assert.match(
    onA,
    /-A KUBE-SERVICES -m comment --comment "ns\/itp cluster IP" -m udp -p udp -d 10\.96\.0\.7 --dport 53 -j KUBE-SVL-/,
  )
  assert.match(
    onA,
    /-A KUBE-SVL-\S+ -m comment --comment "ns\/itp cluster IP" .* ! -s 10\.244\.0\.0\/16 -j KUBE-MARK-MASQ/,
  )
  assert.ok(!onA.includes('10.244.2.2'), 'remote endpoint is not used')
  assert.ok(!onA.includes('KUBE-SVC-'))
  const onC = renderRules(buildSnapshot([svc], [slice], 'c'), {}).restore
  assert.match(
    onC,
    /-A KUBE-SERVICES -m comment --comment "ns\/itp has no local endpoints" -m udp -p udp -d 10\.96\.0\.7 --dport 53 -j DROP/,
  )
})

test('externalTrafficPolicy Local with a local endpoint: short-circuit rules then KUBE-SVL', () => {
  const svc = makeService('ns', 'etp', {
    type: 'NodePort',
    clusterIP: '10.96.0.8',
    externalTrafficPolicy: 'Local',
    ports: [{ port: 80, nodePort: 30001 }],
  })
  const slice = makeSlice(
    'ns',
    'etp',
    'x',
    [{ port: 8080 }],
    [
      { ip: '10.244.1.2', node: 'a' },
      { ip: '10.244.2.2', node: 'b' },
    ],
  )
  const r = renderRules(buildSnapshot([svc], [slice], 'a'), { clusterCIDR: '10.244.0.0/16' })
  const ext = r.restore.split('\n').filter((l) => /^-A KUBE-EXT-/.test(l))
  assert.equal(ext.length, 4)
  assert.match(ext[0]!, /"pod traffic for ns\/etp external destinations" -s 10\.244\.0\.0\/16 -j KUBE-SVC-/)
  assert.match(ext[3]!, /^-A KUBE-EXT-(\S+) -j KUBE-SVL-\1$/)
  assert.deepEqual(checkRestore(r.restore), [])
})

test('stale service chains are flushed and deleted; foreign chains are left alone', () => {
  const r = renderRules(buildSnapshot([], [], 'n'), {
    existingNatChains: ['KUBE-SERVICES', 'KUBE-SVC-OLD', 'KUBE-SEP-OLD', 'DOCKER', 'KUBE-MARK-MASQ'],
  })
  assert.deepEqual(r.deletedChains, ['KUBE-SEP-OLD', 'KUBE-SVC-OLD'])
  assert.match(r.restore, /:KUBE-SEP-OLD - \[0:0\]\n:KUBE-SVC-OLD - \[0:0\]\n/)
  assert.match(r.restore, /-X KUBE-SEP-OLD\n-X KUBE-SVC-OLD\n/)
  assert.ok(!r.restore.includes('DOCKER'))
})

test("partial sync writes only changed services' chains but keeps every capture rule", () => {
  const a = makeService('ns', 'a', { clusterIP: '10.96.0.1', ports: [{ port: 80 }] })
  const b = makeService('ns', 'b', { clusterIP: '10.96.0.2', ports: [{ port: 80 }] })
  const slices = [
    makeSlice('ns', 'a', 'x', [{ port: 80 }], [{ ip: '10.244.0.5' }]),
    makeSlice('ns', 'b', 'x', [{ port: 80 }], [{ ip: '10.244.0.6' }]),
  ]
  const snap = buildSnapshot([a, b], slices, 'n')
  const full = renderRules(snap, {})
  const partial = renderRules(snap, {
    changedServices: new Set(['ns/b']),
    existingNatChains: [...full.activeNatChains],
  })
  assert.match(partial.restore, /-d 10\.96\.0\.1 --dport 80 -j KUBE-SVC-/)
  assert.match(partial.restore, /-d 10\.96\.0\.2 --dport 80 -j KUBE-SVC-/)
  assert.ok(!partial.restore.includes('10.244.0.5'), 'unchanged service a is not rewritten')
  assert.ok(partial.restore.includes('10.244.0.6'))
  assert.deepEqual(partial.deletedChains, [], 'unchanged chains are still active')
  assert.equal(partial.natRulesTotal, full.natRulesTotal)
})

test('--nodeport-addresses and localhost NodePorts off change the last KUBE-SERVICES rule', () => {
  const snap = buildSnapshot([], [], 'n')
  assert.match(
    renderRules(snap, { localhostNodePorts: false }).restore,
    /-m addrtype --dst-type LOCAL ! -d 127\.0\.0\.0\/8 -j KUBE-NODEPORTS/,
  )
  assert.ok(!renderRules(snap, { localhostNodePorts: false }).restore.includes('KUBE-FIREWALL'))
  const r = renderRules(snap, { nodePortIPs: ['172.18.0.2', '127.0.0.1'], localhostNodePorts: false }).restore
  assert.match(r, /NOTE: this must be the last rule in this chain" -d 172\.18\.0\.2 -j KUBE-NODEPORTS/)
  assert.ok(!r.includes('-d 127.0.0.1'))
})

test('masquerade-all puts an unconditional KUBE-MARK-MASQ first in KUBE-SVC', () => {
  const svc = makeService('ns', 's', { clusterIP: '10.96.0.3', ports: [{ port: 80 }] })
  const slice = makeSlice('ns', 's', 'x', [{ port: 80 }], [{ ip: '10.244.0.5' }])
  const r = renderRules(buildSnapshot([svc], [slice], 'n'), {
    masqueradeAll: true,
    clusterCIDR: '10.244.0.0/16',
  })
  assert.match(
    r.restore,
    /-A KUBE-SVC-\S+ -m comment --comment "ns\/s cluster IP" -m tcp -p tcp -d 10\.96\.0\.3 --dport 80 -j KUBE-MARK-MASQ/,
  )
})
