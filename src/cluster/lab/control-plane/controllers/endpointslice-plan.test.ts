// Unit tests of the pure EndpointSlice logic: endpoint conditions, named ports, grouping, in-place updates.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node'
import { endpointGroups, planSlices, podToEndpoint } from './endpointslice-plan.ts'

const now = new Date('2024-05-01T10:00:00.123Z')
const svc = (extra: Partial<V1Service['spec']> = {}): V1Service => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { team: 'a' } },
  spec: {
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    ...extra,
  },
})

function pod(
  name: string,
  ip: string | undefined,
  opts: { ready?: boolean; port?: number; deleting?: boolean; phase?: string; node?: string } = {},
): V1Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      labels: { app: 'web' },
      ...(opts.deleting ? { deletionTimestamp: '2024-05-01T10:00:00Z' as unknown as Date } : {}),
    },
    spec: {
      nodeName: opts.node ?? 'worker',
      containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }],
    },
    status: {
      phase: opts.phase ?? 'Running',
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  }
}

const zone = (n: string): string | undefined => (n === 'worker' ? 'zone-a' : undefined)

describe('podToEndpoint', () => {
  it('sets ready/serving/terminating as upstream, with targetRef, nodeName and zone', () => {
    assert.deepEqual(podToEndpoint(svc(), pod('a', '10.0.0.1'), 'zone-a'), {
      addresses: ['10.0.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'worker',
      zone: 'zone-a',
      targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' },
    })
    assert.deepEqual(podToEndpoint(svc(), pod('a', '10.0.0.1', { deleting: true }), undefined).conditions, {
      ready: false,
      serving: true,
      terminating: true,
    })
    assert.deepEqual(podToEndpoint(svc(), pod('a', '10.0.0.1', { ready: false }), undefined).conditions, {
      ready: false,
      serving: false,
      terminating: false,
    })
    assert.deepEqual(
      podToEndpoint(
        svc({ publishNotReadyAddresses: true }),
        pod('a', '10.0.0.1', { ready: false, deleting: true }),
        undefined,
      ).conditions,
      { ready: true, serving: false, terminating: true },
      'publishNotReadyAddresses makes it ready; serving stays the pod Ready condition',
    )
  })
  it('gives the hostname only to pods whose subdomain is the Service, in its namespace', () => {
    const named = (subdomain: string, namespace = 'ns'): V1Pod => {
      const p = pod('a', '10.0.0.1')
      return {
        ...p,
        metadata: { ...p.metadata, namespace },
        spec: { ...p.spec!, hostname: 'db-0', subdomain },
      }
    }
    assert.equal(podToEndpoint(svc(), named('web'), undefined).hostname, 'db-0')
    assert.equal(podToEndpoint(svc(), named('other'), undefined).hostname, undefined)
    assert.equal(podToEndpoint(svc(), named('web', 'elsewhere'), undefined).hostname, undefined)
  })
})

describe('endpointGroups', () => {
  it('leaves out pods without an IP or finished, and groups pods by resolved port', () => {
    const groups = endpointGroups(
      svc(),
      [
        pod('a', '10.0.0.1'),
        pod('b', '10.0.0.2', { port: 9090 }),
        pod('c', undefined),
        pod('d', '10.0.0.4', { phase: 'Failed' }),
        pod('e', '10.0.0.5', { deleting: true }),
      ],
      zone,
    )
    const summary = [...groups.values()].map((g) => [
      g.ports.map((p) => p.port),
      g.endpoints.map((e) => e.addresses[0]),
    ])
    assert.deepEqual(summary, [
      [[8080], ['10.0.0.1', '10.0.0.5']],
      [[9090], ['10.0.0.2']],
    ])
  })
  it('uses numeric targetPorts as they are, and port when targetPort is absent', () => {
    const s = svc({
      ports: [
        { name: 'a', port: 80, targetPort: 8081 },
        { name: 'b', port: 81, protocol: 'UDP', appProtocol: 'dns' },
      ],
    })
    const [g] = [...endpointGroups(s, [pod('a', '10.0.0.1')], zone).values()]
    assert.deepEqual(g?.ports, [
      { name: 'a', port: 8081, protocol: 'TCP' },
      { name: 'b', port: 81, protocol: 'UDP', appProtocol: 'dns' },
    ])
  })
})

describe('planSlices', () => {
  const s = svc()
  it('creates one empty placeholder slice when nothing is selected', () => {
    const plan = planSlices(s, [], endpointGroups(s, [], zone), now)
    assert.equal(plan.create.length, 1)
    const slice = plan.create[0]!
    assert.deepEqual([slice.endpoints, slice.ports], [[], []])
    assert.equal(slice.metadata?.generateName, 'web-')
    assert.deepEqual(slice.metadata?.labels, {
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
    assert.equal(
      slice.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'],
      '2024-05-01T10:00:00Z',
    )
    assert.deepEqual(slice.metadata?.ownerReferences?.[0], {
      apiVersion: 'v1',
      kind: 'Service',
      name: 'web',
      uid: 'svc-uid',
      controller: true,
      blockOwnerDeletion: true,
    })
  })

  it('labels headless Services', () => {
    const h = svc({ clusterIP: 'None' })
    const plan = planSlices(h, [], endpointGroups(h, [], zone), now)
    assert.equal(plan.create[0]?.metadata?.labels?.['service.kubernetes.io/headless'], '')
  })

  it('updates an existing slice in place and writes nothing when nothing changed', () => {
    const first = planSlices(s, [], endpointGroups(s, [pod('a', '10.0.0.1')], zone), now).create[0]!
    const stored: V1EndpointSlice = { ...first, metadata: { ...first.metadata, name: 'web-abcde' } }
    const same = planSlices(s, [stored], endpointGroups(s, [pod('a', '10.0.0.1')], zone), now)
    assert.deepEqual(same, { create: [], update: [], delete: [] })
    const later = new Date('2024-05-01T11:00:00Z')
    const more = planSlices(
      s,
      [stored],
      endpointGroups(s, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2')], zone),
      later,
    )
    assert.deepEqual([more.create.length, more.delete], [0, []])
    assert.equal(more.update[0]?.metadata?.name, 'web-abcde')
    assert.deepEqual(
      more.update[0]?.endpoints?.map((e) => e.addresses[0]),
      ['10.0.0.1', '10.0.0.2'],
    )
    assert.equal(
      more.update[0]?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'],
      '2024-05-01T11:00:00Z',
    )
  })

  it('holds at most 100 endpoints per slice by default, as upstream --max-endpoints-per-slice', () => {
    const pods = Array.from({ length: 205 }, (_, i) =>
      pod(`p${i}`, `10.0.${Math.floor(i / 200)}.${(i % 200) + 1}`),
    )
    const plan = planSlices(s, [], endpointGroups(s, pods, zone), now)
    assert.deepEqual(
      plan.create.map((x) => x.endpoints?.length),
      [100, 100, 5],
    )
    const addresses = plan.create.flatMap((x) => x.endpoints!.map((e) => e.addresses[0]))
    assert.equal(new Set(addresses).size, 205, 'every pod once')
  })

  it('splits past maxPerSlice and reuses a slice whose port set is no longer wanted', () => {
    const pods = Array.from({ length: 5 }, (_, i) => pod(`p${i}`, `10.0.0.${i + 1}`))
    const plan = planSlices(s, [], endpointGroups(s, pods, zone), now, 2)
    assert.deepEqual(
      plan.create.map((x) => x.endpoints?.length),
      [2, 2, 1],
    )
    const old = { ...plan.create[0]!, metadata: { ...plan.create[0]!.metadata, name: 'web-old' } }
    const moved = pods.slice(0, 1).map((p) => pod(p.metadata!.name!, p.status!.podIP!, { port: 9999 }))
    const replan = planSlices(s, [old], endpointGroups(s, moved, zone), now, 2)
    assert.deepEqual([replan.create.length, replan.delete.length], [0, 0])
    assert.deepEqual(
      replan.update[0]?.ports?.map((p) => p.port),
      [9999],
    )
  })

  it('deletes slices left empty and keeps endpoints in the slice that already holds them', () => {
    const pods = Array.from({ length: 4 }, (_, i) => pod(`p${i}`, `10.0.0.${i + 1}`))
    const created = planSlices(s, [], endpointGroups(s, pods, zone), now, 2).create.map((x, i) => ({
      ...x,
      metadata: { ...x.metadata, name: `web-${i}` },
    }))
    const plan = planSlices(s, created, endpointGroups(s, pods.slice(0, 2), zone), now, 2)
    assert.deepEqual(plan, { create: [], update: [], delete: ['web-1'] })
  })
})
