import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dashedIP, ipFromPodLabel, ipFromReverseName, reverseName } from './ip.ts'

test('reverse names round-trip for IPv4 and IPv6', () => {
  assert.equal(reverseName('10.96.0.1'), '1.0.96.10.in-addr.arpa.')
  assert.equal(ipFromReverseName('1.0.96.10.in-addr.arpa.'), '10.96.0.1')
  const v6 = reverseName('2001:db8::1')
  assert.equal(v6, '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.')
  assert.equal(ipFromReverseName(v6.toUpperCase()), '2001:db8::1')
  for (const bad of [
    '10.in-addr.arpa',
    '1.0.96.300.in-addr.arpa',
    '01.0.96.10.in-addr.arpa',
    '1.0.ip6.arpa',
    'x.y',
  ])
    assert.equal(ipFromReverseName(bad), undefined, bad)
})

test('dashed IPs and pod labels as CoreDNS makes and reads them', () => {
  assert.equal(dashedIP('172.0.0.2'), '172-0-0-2')
  assert.equal(dashedIP('5678:abcd::1'), '5678-abcd--1')
  assert.equal(dashedIP('2001:db8:3333:4444:5555:6666::'), '2001-db8-3333-4444-5555-6666--0')
  assert.equal(ipFromPodLabel('1-2-3-4'), '1.2.3.4')
  assert.equal(ipFromPodLabel('fd00-10-244--5'), 'fd00:10:244::5')
  assert.equal(ipFromPodLabel('1-2-3'), undefined)
  assert.equal(ipFromPodLabel('1-2-3-400'), undefined)
})
