// Unit tests of the lab's LoadBalancer IP assignment.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Service } from '@kubernetes/client-node'
import { parseIPv4Range } from '../../../../kube/ip.ts'
import { assignIngressIPs, wantsLoadBalancer } from './load-balancer-plan.ts'

const pool = parseIPv4Range('172.18.255.200-172.18.255.202')!
let age = 0
const lb = (
  name: string,
  opts: { ip?: string; request?: string; cls?: string; type?: string } = {},
): V1Service => ({
  metadata: { name, namespace: 'ns', creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, age++)) },
  spec: {
    type: opts.type ?? 'LoadBalancer',
    ...(opts.request ? { loadBalancerIP: opts.request } : {}),
    ...(opts.cls ? { loadBalancerClass: opts.cls } : {}),
  },
  status: opts.ip ? { loadBalancer: { ingress: [{ ip: opts.ip }] } } : {},
})
const plain = (m: Map<string, unknown>): Record<string, unknown> => Object.fromEntries(m)

describe('assignIngressIPs', () => {
  it('gives the lowest free pool IPs, oldest Service first, and keeps what Services already hold', () => {
    const got = assignIngressIPs([lb('a'), lb('b', { ip: '172.18.255.200' }), lb('c')], pool)
    assert.deepEqual(plain(got), {
      'ns/b': { ip: '172.18.255.200' },
      'ns/a': { ip: '172.18.255.201' },
      'ns/c': { ip: '172.18.255.202' },
    })
  })
  it('says when the pool is exhausted, and a freed IP goes to the next Service', () => {
    const svcs = [lb('a'), lb('b'), lb('c'), lb('d')]
    assert.deepEqual(assignIngressIPs(svcs, pool).get('ns/d'), {
      error: "no available IPs in the lab's pool 172.18.255.200-172.18.255.202",
    })
    const after = assignIngressIPs(
      [lb('b', { ip: '172.18.255.201' }), lb('c', { ip: '172.18.255.202' }), lb('d')],
      pool,
    )
    assert.deepEqual(after.get('ns/d'), { ip: '172.18.255.200' })
  })
  it('honours spec.loadBalancerIP inside the pool, and refuses one outside or taken', () => {
    const got = assignIngressIPs(
      [
        lb('holder', { ip: '172.18.255.201' }),
        lb('wants', { request: '172.18.255.202' }),
        lb('outside', { request: '10.0.0.1' }),
        lb('taken', { request: '172.18.255.201' }),
        lb('free'),
      ],
      pool,
    )
    assert.deepEqual(plain(got), {
      'ns/holder': { ip: '172.18.255.201' },
      'ns/wants': { ip: '172.18.255.202' },
      'ns/outside': {
        error: "spec.loadBalancerIP 10.0.0.1 is not in the lab's pool 172.18.255.200-172.18.255.202",
      },
      'ns/taken': { error: '172.18.255.201 is already used by Service ns/holder' },
      'ns/free': { ip: '172.18.255.200' },
    })
  })
  it('moves a Service whose held IP left the pool or clashes with an older holder', () => {
    const got = assignIngressIPs(
      [
        lb('old', { ip: '172.18.255.200' }),
        lb('new', { ip: '172.18.255.200' }),
        lb('gone', { ip: '1.2.3.4' }),
      ],
      pool,
    )
    assert.deepEqual(plain(got), {
      'ns/old': { ip: '172.18.255.200' },
      'ns/new': { ip: '172.18.255.201' },
      'ns/gone': { ip: '172.18.255.202' },
    })
  })
  it('serves only type LoadBalancer without a loadBalancerClass', () => {
    assert.equal(wantsLoadBalancer(lb('a')), true)
    assert.equal(wantsLoadBalancer(lb('a', { cls: 'example.com/other' })), false)
    assert.equal(wantsLoadBalancer(lb('a', { type: 'NodePort' })), false)
    assert.deepEqual(plain(assignIngressIPs([lb('np', { type: 'NodePort' })], pool)), {})
  })
})
