import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decideFamilies, globalAddress } from './family-detect.ts'

const both = () => true

test('an IPv4-only node (loopback and link-local IPv6 only) runs the IPv4 proxier alone', () => {
  const d = decideFamilies({
    nodeIPOverride: [],
    clusterCIDRs: ['10.244.0.0/16'],
    interfaceAddresses: ['127.0.0.1', '::1', '172.18.0.2', 'fe80::a8bb:ccff:fedd:eeff'],
    supported: both,
  })
  assert.deepEqual(d.families, ['IPv4'])
})

test('a dual-stack node runs both, primary first; the primary family comes from --node-ip-override', () => {
  const evidence = {
    nodeIPOverride: [],
    clusterCIDRs: ['10.244.0.0/16', 'fd00:10:244::/56'],
    interfaceAddresses: ['172.18.0.2'],
    supported: both,
  }
  assert.deepEqual(decideFamilies(evidence).families, ['IPv4', 'IPv6'])
  assert.deepEqual(decideFamilies({ ...evidence, nodeIPOverride: ['fc00::2'] }).families, ['IPv6', 'IPv4'])
  assert.deepEqual(
    decideFamilies({ ...evidence, clusterCIDRs: [], interfaceAddresses: ['2001:db8::2'] }).families,
    ['IPv6'],
    'an IPv6-only node',
  )
})

test('a family the platform cannot program is left out; an unsupported primary family is an error', () => {
  const d = decideFamilies({
    nodeIPOverride: [],
    clusterCIDRs: [],
    interfaceAddresses: ['172.18.0.2', '2001:db8::2'],
    supported: (f) => f === 'IPv4',
  })
  assert.deepEqual(d.families, ['IPv4'])
  assert.match(d.reason, /not IPv6/)
  assert.throws(
    () =>
      decideFamilies({
        nodeIPOverride: ['fc00::2'],
        clusterCIDRs: [],
        interfaceAddresses: [],
        supported: (f) => f === 'IPv4',
      }),
    /primary IP family IPv6/,
  )
  assert.equal(globalAddress('169.254.1.1'), false)
  assert.equal(globalAddress('FE80::1'), false)
  assert.equal(globalAddress('fd00::1'), true)
})
