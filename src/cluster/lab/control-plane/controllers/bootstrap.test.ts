// Unit tests of the bootstrap objects.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bootstrapObjects, firstServiceIP } from './bootstrap.ts'

describe('firstServiceIP', () => {
  it('is the network address plus one', () => {
    assert.equal(firstServiceIP('10.96.0.0/16'), '10.96.0.1')
    assert.equal(firstServiceIP('10.96.5.7/12'), '10.96.0.1')
    assert.equal(firstServiceIP('192.168.10.0/24'), '192.168.10.1')
    assert.throws(() => firstServiceIP('fd00::/108'), /serviceCIDR must be an IPv4 CIDR/)
  })
})

describe('bootstrapObjects', () => {
  it('points kubernetes at the API server on 6443 through port https/443', () => {
    const o = bootstrapObjects({
      apiServer: { host: '172.18.0.2', port: 6443 },
      serviceCIDR: '10.100.0.0/16',
    })
    assert.deepEqual(
      o.namespaces.map((n) => n.metadata?.name),
      ['default', 'kube-system', 'kube-public', 'kube-node-lease'],
    )
    assert.equal(o.service.spec?.clusterIP, '10.100.0.1')
    assert.deepEqual(o.service.spec?.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }])
    assert.deepEqual(o.slice.endpoints?.[0]?.addresses, ['172.18.0.2'])
    assert.equal(o.slice.metadata?.labels?.['kubernetes.io/service-name'], 'kubernetes')
    assert.deepEqual(o.endpoints.subsets?.[0]?.addresses, [{ ip: '172.18.0.2' }])
  })
})
