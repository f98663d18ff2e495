import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pickNodePortAddresses } from './nodeport-addresses.ts'

test('node-port addresses: CIDR picks, "primary", loopback decides localhost node ports', () => {
  const ifaces = ['127.0.0.1', '172.18.0.2', '10.244.1.1']
  assert.equal(pickNodePortAddresses([], ifaces, [], true), undefined, 'no flag: every local address')
  assert.deepEqual(pickNodePortAddresses(['172.18.0.0/16'], ifaces, [], true), {
    ips: ['172.18.0.2'],
    localhostNodePorts: false,
  })
  assert.deepEqual(pickNodePortAddresses(['127.0.0.0/8', '172.18.0.0/16'], ifaces, [], true), {
    ips: ['127.0.0.1', '172.18.0.2'],
    localhostNodePorts: true,
  })
  assert.deepEqual(pickNodePortAddresses(['primary'], ifaces, ['172.18.0.2'], true), {
    ips: ['172.18.0.2'],
    localhostNodePorts: false,
  })
  assert.equal(
    pickNodePortAddresses(['127.0.0.0/8'], ifaces, [], false)?.localhostNodePorts,
    false,
    'flag off stays off',
  )
})

test('node-port addresses per family: the other family is dropped, none left means every address', () => {
  const ifaces = ['127.0.0.1', '::1', '172.18.0.2', '2001:db8::2', 'fe80::1']
  const entries = ['172.18.0.0/16', '2001:db8::/64', '::1/128']
  assert.deepEqual(pickNodePortAddresses(entries, ifaces, [], true, 'IPv6'), {
    ips: ['2001:db8::2', '::1'],
    localhostNodePorts: false,
  })
  assert.deepEqual(pickNodePortAddresses(entries, ifaces, [], true, 'IPv4')?.ips, ['172.18.0.2'])
  assert.equal(pickNodePortAddresses(['172.18.0.0/16'], ifaces, [], true, 'IPv6'), undefined)
  assert.deepEqual(
    pickNodePortAddresses(['primary'], ifaces, ['172.18.0.2', '2001:DB8::2'], true, 'IPv6')?.ips,
    ['2001:db8::2'],
  )
})
