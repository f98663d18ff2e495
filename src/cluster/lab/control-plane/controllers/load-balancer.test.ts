// Tests of the load-balancer controller against the real MemoryStore: EXTERNAL-IPs from the pool, events,
// release and reuse, and Services it must leave alone.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Service } from '@kubernetes/client-node'
import type { EventObject } from '../../../../kube/event.ts'
import { toKube } from './objects.ts'
import { controllerHarness, listAs, NS } from './test-fixtures.ts'
import { parsePool } from './load-balancer.ts'

describe('load-balancer controller', () => {
  const h = controllerHarness({ loadBalancerPool: '172.18.255.200-172.18.255.201' })
  const create = (name: string, spec: Partial<NonNullable<V1Service['spec']>> = {}): void => {
    h.store.create(
      'services',
      toKube({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: NS },
        spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }], ...spec },
      }),
    )
  }
  const ingress = (name: string): unknown =>
    (h.store.get('services', NS, name) as unknown as V1Service).status?.loadBalancer
  const reasons = (name: string): string[] =>
    listAs<EventObject>(h.store, 'events', NS)
      .filter((e) => e.involvedObject['name'] === name)
      .map((e) => `${e.type} ${e.reason}: ${e.message}`)
      .sort()

  it('gives each LoadBalancer Service a pool IP, says so in events, and waits when the pool is empty', async () => {
    create('a')
    await h.idle()
    create('b')
    create('c')
    create('np', { type: 'NodePort' })
    create('other', { loadBalancerClass: 'example.com/lb' })
    await h.idle()
    assert.deepEqual(ingress('a'), { ingress: [{ ip: '172.18.255.200' }] })
    assert.deepEqual(ingress('b'), { ingress: [{ ip: '172.18.255.201' }] })
    assert.deepEqual(ingress('c'), {}, 'the pool is exhausted')
    assert.deepEqual(ingress('np'), {}, 'a NodePort Service has no load balancer')
    assert.deepEqual(ingress('other'), {}, 'a loadBalancerClass Service is left to its class')
    assert.deepEqual(reasons('a'), [
      'Normal EnsuredLoadBalancer: Ensured load balancer',
      'Normal EnsuringLoadBalancer: Ensuring load balancer',
    ])
    assert.deepEqual(reasons('c'), [
      "Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to ensure load balancer: no available IPs in the lab's pool 172.18.255.200-172.18.255.201",
    ])

    // a stops being a LoadBalancer: its IP is taken back and goes to c.
    const a = h.store.get('services', NS, 'a')!
    h.store.update('services', { ...a, spec: { ...(a['spec'] as object), type: 'ClusterIP' } })
    await h.idle()
    assert.deepEqual(ingress('a'), {})
    assert.ok(reasons('a').includes('Normal DeletedLoadBalancer: Deleted load balancer'))
    assert.deepEqual(ingress('c'), { ingress: [{ ip: '172.18.255.200' }] })

    // b goes: a new Service gets its IP.
    h.store.delete('services', NS, 'b')
    create('d')
    await h.idle()
    assert.deepEqual(ingress('d'), { ingress: [{ ip: '172.18.255.201' }] })
  })

  it('honours spec.loadBalancerIP in the pool', async () => {
    create('pinned', { loadBalancerIP: '172.18.255.201' })
    await h.idle()
    assert.deepEqual(ingress('pinned'), { ingress: [{ ip: '172.18.255.201' }] })
  })

  it('refuses a pool that is not a range', () => {
    assert.throws(() => parsePool('172.18.255.0/24'), /loadBalancerPool must be an IPv4 range/)
  })
})
