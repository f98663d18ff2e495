import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PodCidrFullError, PodIpam, parsePodCidr, podIpFor } from './pod-ipam.ts'

test('podIpFor starts after the gateway and stays inside the CIDR', () => {
  const node = { podCIDR: '10.244.3.0/24' }
  assert.equal(podIpFor(node, 0), '10.244.3.2')
  assert.equal(podIpFor(node, 252), '10.244.3.254')
  assert.throws(() => podIpFor(node, 253), /does not fit pod CIDR 10\.244\.3\.0\/24 \(253 pod addresses\)/)
  assert.throws(() => podIpFor(node, -1), RangeError)
})

test('PodIpam allocates round-robin, is stable per uid, reuses released addresses only after the others', () => {
  const ipam = new PodIpam('10.244.1.0/24')
  assert.equal(ipam.allocate('a'), '10.244.1.2')
  assert.equal(ipam.allocate('b'), '10.244.1.3')
  assert.equal(ipam.allocate('a'), '10.244.1.2', 'same uid, same address')
  ipam.release('a')
  assert.equal(ipam.allocate('c'), '10.244.1.4', 'a just-freed address is not handed out again at once')
  const small = new PodIpam('10.244.2.0/29')
  for (const u of ['p1', 'p2', 'p3', 'p4', 'p5']) small.allocate(u)
  small.release('p2')
  assert.equal(small.allocate('p6'), '10.244.2.3', 'the range wraps round to the freed address')
  ipam.reserve('10.244.1.9', 'd')
  assert.throws(() => ipam.reserve('10.244.1.9', 'e'), /already allocated to pod d/)
  assert.throws(() => ipam.reserve('10.244.2.9', 'e'), /not in pod CIDR/)
  assert.deepEqual([...ipam.allocated().keys()].sort(), ['10.244.1.3', '10.244.1.4', '10.244.1.9'])
})

test('PodIpam reports a full CIDR', () => {
  const ipam = new PodIpam('10.244.0.0/29')
  const got = ['p1', 'p2', 'p3', 'p4', 'p5'].map((u) => ipam.allocate(u))
  assert.deepEqual(got, ['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5', '10.244.0.6'])
  assert.throws(() => ipam.allocate('p6'), PodCidrFullError)
})

test('a pod CIDR must be an IPv4 CIDR with room for pods and no host bits', () => {
  assert.equal(parsePodCidr('10.244.1.0/24').size, 256)
  assert.throws(() => parsePodCidr('10.0.0.1/24'), /host bits set/)
  assert.throws(() => parsePodCidr('10.0.0.0/31'), /not an IPv4 CIDR with room for pods/)
  assert.throws(() => parsePodCidr('10.0.0.256/24'), /not an IPv4 CIDR with room for pods/)
})
