// End-to-end tests of the controllers against the real MemoryStore: bootstrap, Deployment to EndpointSlices.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Deployment, V1EndpointSlice, V1Pod, V1ReplicaSet, V1Service } from '@kubernetes/client-node'
import type { KubeObject } from '../apiserver/store.ts'
import { toKube } from './objects.ts'
import { controllerHarness, deployment, listAs, NS, service, setPodRunning } from './test-fixtures.ts'

describe('startControllers', () => {
  const h = controllerHarness()

  const pods = (): V1Pod[] => listAs<V1Pod>(h.store, 'pods', NS).filter((p) => !p.metadata?.deletionTimestamp)

  it('bootstraps namespaces and the kubernetes Service, Endpoints and EndpointSlice', async () => {
    await h.idle()
    assert.ok(h.store.get('endpointslices', 'default', 'kubernetes'), 'kubernetes EndpointSlice')
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      assert.ok(h.store.get('namespaces', undefined, ns), ns)
    const svc = h.store.get('services', 'default', 'kubernetes') as unknown as V1Service
    assert.equal(svc.spec?.clusterIP, '10.96.0.1')
    assert.deepEqual(svc.spec?.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }])
    assert.deepEqual(svc.metadata?.labels, { component: 'apiserver', provider: 'kubernetes' })
    const slice = h.store.get('endpointslices', 'default', 'kubernetes') as unknown as V1EndpointSlice
    assert.deepEqual(slice.endpoints?.[0]?.addresses, ['172.18.0.2'])
    assert.deepEqual(slice.ports, [{ name: 'https', port: 6443, protocol: 'TCP' }])
    assert.equal(
      slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'],
      'endpointslicemirroring-controller.k8s.io',
    )
    const ep = h.store.get('endpoints', 'default', 'kubernetes') as KubeObject
    assert.deepEqual(ep['subsets'], [
      { addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    ])
    // Deleted objects come back.
    h.store.delete('endpointslices', 'default', 'kubernetes')
    await h.idle()
    assert.ok(h.store.get('endpointslices', 'default', 'kubernetes'), 'kubernetes EndpointSlice recreated')
  })

  it('runs a Deployment as a ReplicaSet and pods spread over the workers, with EndpointSlices, scaling and namespace deletion', async () => {
    h.store.create('deployments', toKube(deployment('web', 3)))
    h.store.create('services', toKube(service('web', { app: 'web' })))
    await h.idle()
    const bound = pods().filter((p) => p.spec?.nodeName)
    assert.equal(bound.length, 3, '3 bound pods')
    const rss = listAs<V1ReplicaSet>(h.store, 'replicasets', NS)
    assert.equal(rss.length, 1)
    const rs = rss[0]!
    const hash = rs.metadata?.labels?.['pod-template-hash'] ?? ''
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/)
    assert.equal(rs.metadata?.name, `web-${hash}`)
    assert.equal(rs.spec?.selector?.matchLabels?.['pod-template-hash'], hash)
    assert.equal(rs.metadata?.ownerReferences?.[0]?.kind, 'Deployment')
    assert.equal(rs.metadata?.ownerReferences?.[0]?.controller, true)
    for (const p of bound) {
      assert.ok(p.metadata?.name?.startsWith(`web-${hash}-`), p.metadata?.name)
      assert.equal(p.metadata?.labels?.['pod-template-hash'], hash)
      assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True')
    }
    const perNode = new Map<string, number>()
    for (const p of bound) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1)
    assert.deepEqual([...perNode.keys()].sort(), ['lab-worker', 'lab-worker2'])
    assert.deepEqual([...perNode.values()].sort(), [1, 2])

    // An empty placeholder slice exists before any pod has an IP.
    const placeholders = listAs<V1EndpointSlice>(h.store, 'endpointslices', NS)
    assert.equal(placeholders.length, 1, 'placeholder slice')
    const placeholder = placeholders[0]!
    assert.deepEqual(placeholder.endpoints, [])

    bound.forEach((p, i) => setPodRunning(h.store, p as unknown as KubeObject, `10.244.1.${10 + i}`, i !== 2))
    await h.idle()
    const slices = listAs<V1EndpointSlice>(h.store, 'endpointslices', NS)
    assert.equal(slices.length, 1, 'one slice')
    const slice = slices[0]!
    assert.equal(slice.endpoints?.length, 3, 'slice with 3 endpoints')
    assert.equal(slice.metadata?.name, placeholder.metadata?.name, 'placeholder updated in place')
    assert.ok(slice.metadata?.name?.startsWith('web-'))
    assert.equal(slice.metadata?.labels?.['kubernetes.io/service-name'], 'web')
    assert.equal(
      slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'],
      'endpointslice-controller.k8s.io',
    )
    assert.match(
      slice.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '',
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    )
    assert.deepEqual(slice.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }])
    assert.deepEqual(
      slice.endpoints?.map((e) => [
        e.addresses[0],
        e.conditions?.ready,
        e.nodeName === bound[slice.endpoints!.indexOf(e)]?.spec?.nodeName,
      ]),
      [
        ['10.244.1.10', true, true],
        ['10.244.1.11', true, true],
        ['10.244.1.12', false, true],
      ],
    )
    assert.deepEqual(slice.endpoints?.[0]?.targetRef, {
      kind: 'Pod',
      namespace: NS,
      name: bound[0]!.metadata!.name,
      uid: bound[0]!.metadata!.uid,
    })
    const ep = h.store.get('endpoints', NS, 'web') as KubeObject
    const subsets = ep['subsets'] as { addresses: { ip: string }[]; notReadyAddresses: { ip: string }[] }[]
    assert.deepEqual(
      subsets[0]?.addresses.map((a) => a.ip),
      ['10.244.1.10', '10.244.1.11'],
    )
    assert.deepEqual(
      subsets[0]?.notReadyAddresses.map((a) => a.ip),
      ['10.244.1.12'],
    )

    const d = h.store.get('deployments', NS, 'web') as unknown as V1Deployment
    assert.equal(d.status?.readyReplicas, 2, 'deployment status')
    assert.equal(d.status?.replicas, 3)
    assert.equal(d.status?.updatedReplicas, 3)
    assert.equal(d.status?.availableReplicas, 2)
    assert.equal(d.status?.observedGeneration, 1)
    // maxUnavailable 25% of 3 rounds down to 0: two available pods are not enough.
    assert.equal(
      d.status?.conditions?.find((c) => c.type === 'Available')?.reason,
      'MinimumReplicasUnavailable',
    )

    // Scale down to 1: the not-ready pod goes first.
    const cur = h.store.get('deployments', NS, 'web')!
    h.store.update('deployments', { ...cur, spec: { ...(cur['spec'] as object), replicas: 1 } })
    await h.idle()
    const left = pods()
    assert.equal(left.length, 1, '1 pod left')
    assert.equal(
      left[0]?.status?.conditions?.find((c) => c.type === 'Ready')?.status,
      'True',
      'the not-ready pod went first',
    )
    const eps = listAs<V1EndpointSlice>(h.store, 'endpointslices', NS)
      .flatMap((x) => x.endpoints ?? [])
      .filter((e) => !e.conditions?.terminating)
    assert.equal(eps.length, 1, 'slice with 1 endpoint')

    // Deleting the namespace removes everything, then the namespace.
    h.store.delete('namespaces', undefined, NS)
    // Pods on nodes terminate gracefully: play the kubelet and finish them.
    await h.converge(() => {
      const going = listAs<V1Pod>(h.store, 'pods', NS).filter((p) => p.metadata?.deletionTimestamp)
      for (const p of going) h.store.delete('pods', NS, p.metadata!.name!, { gracePeriodSeconds: 0 })
      return going.length > 0
    })
    assert.equal(h.store.get('namespaces', undefined, NS), undefined, 'namespace gone')
    for (const r of [
      'pods',
      'services',
      'endpoints',
      'endpointslices',
      'deployments',
      'replicasets',
    ] as const) {
      assert.deepEqual(h.store.list(r, { namespace: NS }).items, [], r)
    }
  })
})
