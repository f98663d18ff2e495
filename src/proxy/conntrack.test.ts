import { test } from 'node:test'
import assert from 'node:assert/strict'
import { conntrackCleanup } from './conntrack.ts'
import { makeService, makeSlice } from './iptables/test-objects.ts'
import { buildSnapshot } from './snapshot.ts'

const dns = makeService('kube-system', 'kube-dns', {
  type: 'NodePort',
  clusterIP: '10.96.0.10',
  externalIPs: ['192.168.99.10'],
  ports: [
    { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  ],
})
const ports = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
]
const snap = (ips: string[]) =>
  buildSnapshot(
    [dns],
    [
      makeSlice(
        'kube-system',
        'kube-dns',
        'a',
        ports,
        ips.map((ip) => ({ ip })),
      ),
    ],
    'n',
  )

test('a replaced DNS pod: UDP flows to the old endpoint are deleted for every service address (TCP untouched)', () => {
  assert.deepEqual(conntrackCleanup(snap(['10.244.1.5']), snap(['10.244.2.7'])), [
    ['--orig-dst', '10.96.0.10', '--dst-nat', '10.244.1.5', '-p', 'udp'],
    ['--orig-dst', '192.168.99.10', '--dst-nat', '10.244.1.5', '-p', 'udp'],
    ['-p', 'udp', '--dport', '30053', '--dst-nat', '10.244.1.5'],
  ])
})

test('a UDP service that gets its first endpoint: the REJECTed flows are cleared; a deleted service: its cluster IP', () => {
  assert.deepEqual(conntrackCleanup(snap([]), snap(['10.244.1.5'])), [
    ['--orig-dst', '10.96.0.10', '-p', 'udp'],
    ['--orig-dst', '192.168.99.10', '-p', 'udp'],
    ['-p', 'udp', '--dport', '30053'],
  ])
  assert.deepEqual(conntrackCleanup(snap(['10.244.1.5']), buildSnapshot([], [], 'n')), [
    ['--orig-dst', '10.96.0.10', '-p', 'udp'],
  ])
  assert.deepEqual(
    conntrackCleanup(snap(['10.244.1.5']), snap(['10.244.1.5', '10.244.2.7'])),
    [],
    'only additions',
  )
  assert.deepEqual(conntrackCleanup(undefined, buildSnapshot([], [], 'n')), [])
})

test('the IPv6 proxier: its UDP flows are named by IPv6 addresses (SystemConntrack adds -f ipv6)', () => {
  const dns6 = makeService('kube-system', 'kube-dns', {
    ipFamilies: ['IPv6'],
    clusterIP: 'fd00:10:96::a',
    ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
  })
  const slice = (ip: string) =>
    makeSlice('kube-system', 'kube-dns', 'a', [{ name: 'dns', port: 53, protocol: 'UDP' }], [{ ip }], 'IPv6')
  const before = buildSnapshot([dns6], [slice('fd00:10:244:1::5')], 'n1', 'IPv6')
  const after = buildSnapshot([dns6], [slice('fd00:10:244:2::6')], 'n1', 'IPv6')
  assert.deepEqual(conntrackCleanup(before, after), [
    ['--orig-dst', 'fd00:10:96::a', '--dst-nat', 'fd00:10:244:1::5', '-p', 'udp'],
  ])
})
