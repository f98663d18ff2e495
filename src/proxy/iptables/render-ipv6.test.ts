import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildSnapshot } from '../snapshot.ts'
import { renderRules, type RenderOptions } from './render.ts'
import { sortDump } from './restore-parse.ts'
import { checkRestore } from './rule-check.ts'
import { dedent, makeService, makeSlice } from './test-objects.ts'

// Upstream's IPv6 fake proxier: node "test-node", no local detector, mark 0x4000, no nfacct counters.
const IPV6_OPTS: RenderOptions = { ipFamily: 'IPv6', masqueradeMark: '0x4000' }

// The objects of upstream's TestEnableLocalhostNodePortsIPv6 / TestDisableLocalhostNodePortsIPv6.
function localhostNodePortsObjects() {
  const svc = makeService('ns1', 'svc1', {
    type: 'NodePort',
    clusterIP: 'fd00:ab34::20',
    ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30001 }],
    externalTrafficPolicy: 'Local',
  })
  const slice = makeSlice(
    'ns1',
    'svc1',
    '1',
    [{ name: 'p80', port: 80 }],
    [{ ip: 'ff06::c1' }, { ip: 'ff06::c2', node: 'test-node' }],
    'IPv6',
  )
  return buildSnapshot([svc], [slice], 'test-node', 'IPv6')
}

// Upstream's expected dump of both tests: no KUBE-FIREWALL, `! -d ::1/128` on the node-port jump, [ip]:port endpoints.
const LOCALHOST_NODEPORTS_IPV6 = dedent(`
  *filter
  :KUBE-NODEPORTS - [0:0]
  :KUBE-SERVICES - [0:0]
  :KUBE-EXTERNAL-SERVICES - [0:0]
  :KUBE-FORWARD - [0:0]
  :KUBE-PROXY-FIREWALL - [0:0]
  -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
  -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
  -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  COMMIT
  *nat
  :KUBE-NODEPORTS - [0:0]
  :KUBE-SERVICES - [0:0]
  :KUBE-EXT-XPGD46QRK7WJZT7O - [0:0]
  :KUBE-MARK-MASQ - [0:0]
  :KUBE-POSTROUTING - [0:0]
  :KUBE-SEP-LIGRYQQLSZN4UWQ5 - [0:0]
  :KUBE-SEP-XJJ5QXWGJG344QDZ - [0:0]
  :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
  :KUBE-SVL-XPGD46QRK7WJZT7O - [0:0]
  -A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 30001 -j KUBE-EXT-XPGD46QRK7WJZT7O
  -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d fd00:ab34::20 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
  -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS
  -A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "masquerade LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
  -A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "route LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-XPGD46QRK7WJZT7O
  -A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVL-XPGD46QRK7WJZT7O
  -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
  -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
  -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
  -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
  -A KUBE-SEP-LIGRYQQLSZN4UWQ5 -m comment --comment ns1/svc1:p80 -s ff06::c1 -j KUBE-MARK-MASQ
  -A KUBE-SEP-LIGRYQQLSZN4UWQ5 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination [ff06::c1]:80
  -A KUBE-SEP-XJJ5QXWGJG344QDZ -m comment --comment ns1/svc1:p80 -s ff06::c2 -j KUBE-MARK-MASQ
  -A KUBE-SEP-XJJ5QXWGJG344QDZ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination [ff06::c2]:80
  -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> [ff06::c1]:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LIGRYQQLSZN4UWQ5
  -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> [ff06::c2]:80" -j KUBE-SEP-XJJ5QXWGJG344QDZ
  -A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> [ff06::c2]:80" -j KUBE-SEP-XJJ5QXWGJG344QDZ
  COMMIT
`)

test('TestEnableLocalhostNodePortsIPv6: localhost node ports asked for, but IPv6 has none (upstream dump)', () => {
  const r = renderRules(localhostNodePortsObjects(), { ...IPV6_OPTS, localhostNodePorts: true })
  assert.equal(sortDump(r.restore), LOCALHOST_NODEPORTS_IPV6)
  assert.deepEqual(checkRestore(r.restore), [])
})

test('TestDisableLocalhostNodePortsIPv6: the same dump with localhost node ports off', () => {
  const r = renderRules(localhostNodePortsObjects(), { ...IPV6_OPTS, localhostNodePorts: false })
  assert.equal(sortDump(r.restore), LOCALHOST_NODEPORTS_IPV6)
})

test('IPv6 --nodeport-addresses: one jump per node IP, ::1 skipped (localhost node ports are IPv4 only)', () => {
  const r = renderRules(localhostNodePortsObjects(), { ...IPV6_OPTS, nodePortIPs: ['2001:db8::1', '::1'] })
  const jumps = r.restore.split('\n').filter((l) => l.endsWith('-j KUBE-NODEPORTS'))
  assert.deepEqual(jumps, [
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 2001:db8::1 -j KUBE-NODEPORTS',
  ])
})

test('a dual-stack Service: each family sees only its own cluster IP, external IPs, LB IPs, ranges and slices', () => {
  const svc = makeService(
    'ns',
    'web',
    {
      type: 'LoadBalancer',
      clusterIP: '10.96.0.5',
      clusterIPs: ['10.96.0.5', 'FD00:10:96::5'],
      ipFamilies: ['IPv4', 'IPv6'],
      externalIPs: ['192.0.2.7', '2001:db8:0:0::7'],
      loadBalancerSourceRanges: ['203.0.113.0/24', ' fd00:1::/64 '],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
    },
    { loadBalancer: { ingress: [{ ip: '198.51.100.9' }, { ip: '2001:db8::9' }] } },
  )
  const v4 = makeSlice('ns', 'web', 'v4', [{ name: 'http', port: 8080 }], [{ ip: '10.244.1.5' }])
  const v6 = makeSlice('ns', 'web', 'v6', [{ name: 'http', port: 8080 }], [{ ip: 'fd00:1::5' }], 'IPv6')
  const six = renderRules(buildSnapshot([svc], [v4, v6], 'n1', 'IPv6'), {
    ipFamily: 'IPv6',
    clusterCIDR: 'fd00:1::/64',
    nodeIP: 'fd00:1::1',
  }).restore
  const four = renderRules(buildSnapshot([svc], [v4, v6], 'n1', 'IPv4'), {
    clusterCIDR: '10.244.0.0/16',
  }).restore
  for (const want of [
    '-d fd00:10:96::5 --dport 80',
    '-d 2001:db8::7 --dport 80',
    '-d 2001:db8::9 --dport 80 -j KUBE-FW-',
    '"ns/web:http loadbalancer IP" -s fd00:1::/64 -j KUBE-EXT-',
    // The node's IPv6 address lies in the range: traffic the node sends to its own LB IP is let through.
    '"ns/web:http loadbalancer IP" -s 2001:db8::9 -j KUBE-EXT-',
    '! -s fd00:1::/64 -j KUBE-MARK-MASQ',
    '-j DNAT --to-destination [fd00:1::5]:8080',
    '! -d ::1/128 -j KUBE-NODEPORTS',
  ])
    assert.ok(six.includes(want), `IPv6 payload lacks ${want}:\n${six}`)
  for (const absent of [
    '10.96.0.5',
    '192.0.2.7',
    '198.51.100.9',
    '203.0.113.0',
    '10.244.1.5',
    'KUBE-FIREWALL',
  ])
    assert.ok(!six.includes(absent), `IPv6 payload has ${absent}`)
  for (const absent of ['fd00', '2001:db8']) assert.ok(!four.includes(absent), `IPv4 payload has ${absent}`)
  assert.ok(four.includes('-j DNAT --to-destination 10.244.1.5:8080'))
  assert.deepEqual(checkRestore(six), [])
})

test('an IPv4-only Service and an IPv4 slice give the IPv6 proxier nothing but the fixed chains', () => {
  const svc = makeService('ns', 'v4only', { clusterIP: '10.96.0.9', ports: [{ port: 53, protocol: 'UDP' }] })
  const slice = makeSlice('ns', 'v4only', 'a', [{ port: 53, protocol: 'UDP' }], [{ ip: '10.244.0.3' }])
  const snap = buildSnapshot([svc], [slice], 'n1', 'IPv6')
  assert.equal(snap.services.length, 0)
  assert.equal(snap.endpoints.size, 0)
})
