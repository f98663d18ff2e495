// Tests of EndpointSlice mirroring: the pure grouping and plan, and the controller against the real MemoryStore.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1EndpointSlice, V1Endpoints } from '@kubernetes/client-node'
import { mirrorGroups, planMirror, shouldMirror } from './endpointslice-mirroring-plan.ts'
import { toKube } from './objects.ts'
import { controllerHarness, listAs, NS } from './test-fixtures.ts'

const endpoints = (subsets: V1Endpoints['subsets'], labels: Record<string, string> = {}): V1Endpoints => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'db', namespace: NS, uid: 'ep-uid', labels },
  subsets,
})

describe('mirrorGroups and planMirror', () => {
  it('groups addresses by port set across subsets, once per IP (ready wins), IPv4 only, sorted', () => {
    const g = mirrorGroups(
      endpoints([
        {
          addresses: [{ ip: '10.0.0.9' }, { ip: 'fd00::1' }],
          notReadyAddresses: [{ ip: '10.0.0.2' }],
          ports: [{ name: 'sql', port: 5432 }],
        },
        { addresses: [{ ip: '10.0.0.2', hostname: 'db-0' }], ports: [{ name: 'sql', port: 5432 }] },
        { addresses: [{ ip: '10.0.0.9' }], ports: [{ name: 'admin', port: 8080, protocol: 'TCP' }] },
      ]),
    )
    assert.deepEqual(
      [...g.values()].map((x) => [x.ports, x.endpoints]),
      [
        [
          [{ name: 'sql', port: 5432, protocol: 'TCP' }],
          [
            { addresses: ['10.0.0.2'], conditions: { ready: true }, hostname: 'db-0' },
            { addresses: ['10.0.0.9'], conditions: { ready: true } },
          ],
        ],
        [
          [{ name: 'admin', port: 8080, protocol: 'TCP' }],
          [{ addresses: ['10.0.0.9'], conditions: { ready: true } }],
        ],
      ],
    )
  })
  it('creates a slice per port set owned by the Endpoints, then writes nothing when nothing changed', () => {
    const ep = endpoints([{ addresses: [{ ip: '10.0.0.9' }], ports: [{ port: 5432 }] }], { tier: 'db' })
    const first = planMirror(ep, [])
    assert.equal(first.create.length, 1)
    const s = first.create[0]!
    assert.equal(s.metadata?.generateName, 'db-')
    assert.deepEqual(s.metadata?.labels, {
      tier: 'db',
      'kubernetes.io/service-name': 'db',
      'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
    })
    assert.deepEqual(
      s.metadata?.ownerReferences?.map((r) => [r.kind, r.uid, r.controller]),
      [['Endpoints', 'ep-uid', true]],
    )
    const stored: V1EndpointSlice = { ...s, metadata: { ...s.metadata, name: 'db-abcde' } }
    assert.deepEqual(planMirror(ep, [stored]), { create: [], update: [], delete: [] })
    const moved = planMirror(endpoints([{ addresses: [{ ip: '10.0.0.10' }], ports: [{ port: 5432 }] }]), [
      stored,
    ])
    assert.deepEqual(
      [moved.create.length, moved.delete, moved.update[0]?.metadata?.name],
      [0, [], 'db-abcde'],
    )
  })
  it('mirrors only Endpoints of an existing selector-less Service not labelled skip-mirror', () => {
    const svc = (selector?: Record<string, string>) => ({
      metadata: { name: 'db' },
      spec: { ...(selector ? { selector } : {}) },
    })
    assert.equal(shouldMirror(endpoints([]), svc()), true)
    assert.equal(shouldMirror(endpoints([]), svc({ app: 'db' })), false)
    assert.equal(shouldMirror(endpoints([]), undefined), false)
    assert.equal(
      shouldMirror(endpoints([], { 'endpointslice.kubernetes.io/skip-mirror': 'true' }), svc()),
      false,
    )
  })
})

describe('EndpointSlice mirroring controller', () => {
  const h = controllerHarness()
  const mirrored = (): V1EndpointSlice[] =>
    listAs<V1EndpointSlice>(h.store, 'endpointslices', NS).filter(
      (s) =>
        s.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'] ===
        'endpointslicemirroring-controller.k8s.io',
    )

  it('mirrors hand-written Endpoints of a selector-less Service, follows their changes, and stops for a selector', async () => {
    h.store.create(
      'services',
      toKube({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'db', namespace: NS },
        spec: {
          ports: [
            { name: 'port80', port: 80, targetPort: 8090 },
            { name: 'port81', port: 81, targetPort: 9090 },
          ],
        },
      }),
    )
    h.store.create(
      'endpoints',
      toKube(
        endpoints([
          { addresses: [{ ip: '10.1.0.1' }], ports: [{ name: 'port80', port: 8090 }] },
          { addresses: [{ ip: '10.1.0.2' }], ports: [{ name: 'port81', port: 9090 }] },
        ]),
      ),
    )
    await h.idle()
    const first = mirrored()
    assert.deepEqual(
      first.map((s) => [s.ports?.[0]?.port, (s.endpoints ?? []).map((e) => e.addresses[0])]).sort(),
      [
        [8090, ['10.1.0.1']],
        [9090, ['10.1.0.2']],
      ],
    )
    const ep = h.store.get('endpoints', NS, 'db')!
    h.store.update('endpoints', {
      ...ep,
      subsets: [{ addresses: [{ ip: '10.1.0.3' }], ports: [{ name: 'port80', port: 8090 }] }],
    })
    await h.idle()
    const second = mirrored()
    assert.deepEqual(
      second.map((s) => [s.metadata?.name, (s.endpoints ?? []).map((e) => e.addresses[0])]),
      [[first.find((s) => s.ports?.[0]?.port === 8090)?.metadata?.name, ['10.1.0.3']]],
      'updated in place; the other port set is gone',
    )
    const svc = h.store.get('services', NS, 'db')!
    h.store.update('services', { ...svc, spec: { ...(svc['spec'] as object), selector: { app: 'db' } } })
    await h.idle()
    assert.deepEqual(
      mirrored(),
      [],
      'a Service with a selector gets its slices from the EndpointSlice controller',
    )
    assert.ok(
      h.store.get('endpointslices', 'default', 'kubernetes'),
      "the API server's own slice is not touched",
    )
  })
})
