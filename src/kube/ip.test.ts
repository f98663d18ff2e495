import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  formatIPv4Range,
  parseIPv4Range,
  canonicalIP,
  canonicalIPv4,
  cidrAddress,
  cidrContains,
  formatCidr4,
  formatIPv4,
  mustParseCidr4,
  mustParseIPv4,
  parseCidr4,
  parseIPv4,
} from './ip.ts'

test('IPv4 addresses round-trip; strict refuses leading zeros, sloppy canonicalises them', () => {
  assert.equal(formatIPv4(mustParseIPv4('172.18.0.100')), '172.18.0.100')
  assert.equal(parseIPv4('10.0.0.256'), undefined)
  assert.equal(parseIPv4('10.0.0'), undefined)
  assert.equal(parseIPv4('10.180.00.001'), undefined)
  assert.equal(canonicalIPv4('10.180.00.001'), '10.180.0.1')
  assert.equal(canonicalIPv4('fd00::1'), undefined)
  assert.throws(() => mustParseIPv4('10.0.0.256'), /not an IPv4 address: "10\.0\.0\.256"/)
})

test('CIDRs: host bits masked and reported, containment, prefix, addresses', () => {
  const c = mustParseCidr4('10.96.5.7/12')
  assert.equal(formatCidr4(c), '10.96.0.0/12')
  assert.equal(c.hostBitsSet, true)
  assert.equal(mustParseCidr4('172.18.0.0/16').prefix, 16)
  assert.equal(mustParseCidr4('172.18.0.0/16').hostBitsSet, false)
  assert.ok(cidrContains(mustParseCidr4('10.96.0.0/16'), '10.96.255.1'))
  assert.ok(!cidrContains(mustParseCidr4('10.96.0.0/16'), '10.97.0.1'))
  assert.ok(cidrContains(mustParseCidr4('0.0.0.0/0'), '203.0.113.9'))
  assert.equal(cidrAddress(mustParseCidr4('10.96.0.0/16'), 1), '10.96.0.1')
  assert.throws(() => cidrAddress(mustParseCidr4('10.0.0.0/30'), 4), /outside 10\.0\.0\.0\/30/)
  assert.throws(() => mustParseCidr4('10.0.0.0'), /not an IPv4 CIDR/)
  assert.equal(parseCidr4('10.0.0.0/33'), undefined)
  assert.equal(parseCidr4('10.0.00.0/8', 'strict'), undefined)
  assert.equal(parseCidr4(' 10.0.00.0/8 ')?.network, '10.0.0.0')
})

test('IPv4 ranges are first-last, inclusive, and print back', () => {
  const r = parseIPv4Range('172.18.255.200-172.18.255.250')
  assert.deepEqual(r, { first: mustParseIPv4('172.18.255.200'), last: mustParseIPv4('172.18.255.250') })
  assert.equal(formatIPv4Range(r!), '172.18.255.200-172.18.255.250')
  assert.deepEqual(parseIPv4Range('10.0.0.1-10.0.0.1'), { first: 167772161, last: 167772161 })
  for (const bad of ['10.0.0.2-10.0.0.1', '10.0.0.1', '10.0.0.1-', '10.0.0.1-10.0.0.2-10.0.0.3', 'a-b'])
    assert.equal(parseIPv4Range(bad), undefined, bad)
})

test('canonical IPv6 text follows RFC 5952', () => {
  assert.equal(canonicalIP('2001:DB8:0:0:0:0:0:1'), '2001:db8::1')
  assert.equal(canonicalIP('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1')
  assert.equal(canonicalIP('1:0:0:2:0:0:0:3'), '1:0:0:2::3')
  assert.equal(canonicalIP('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7')
  assert.equal(canonicalIP('::'), '::')
  assert.equal(canonicalIP('::ffff:10.0.0.1'), '::ffff:a00:1')
  assert.equal(canonicalIP('10.0.0.1'), '10.0.0.1')
  assert.equal(canonicalIP('nope'), undefined)
})
