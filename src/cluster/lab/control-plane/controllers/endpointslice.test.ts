// Tests of the EndpointSlice controller against the real MemoryStore: re-syncs that do not come from pods.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node'
import type { KubeObject } from '../apiserver/store.ts'
import { toKube } from './objects.ts'
import { controllerHarness, deployment, listAs, NS, service, setPodRunning } from './test-fixtures.ts'

describe('EndpointSlice controller', () => {
  const h = controllerHarness()

  it("re-syncs a Service's slices when a node its endpoints run on changes zone", async () => {
    h.store.create('deployments', toKube(deployment('web', 1)))
    h.store.create('services', toKube(service('web', { app: 'web' })))
    await h.idle()
    const [pod] = listAs<V1Pod>(h.store, 'pods', NS)
    setPodRunning(h.store, pod as unknown as KubeObject, '10.244.1.10')
    await h.idle()
    const zones = (): (string | undefined)[] =>
      listAs<V1EndpointSlice>(h.store, 'endpointslices', NS).flatMap((s) =>
        (s.endpoints ?? []).map((e) => e.zone),
      )
    assert.deepEqual(zones(), [undefined])
    const node = h.store.get('nodes', undefined, pod!.spec!.nodeName!)!
    h.store.update('nodes', {
      ...node,
      metadata: {
        ...node.metadata,
        labels: { ...node.metadata.labels, 'topology.kubernetes.io/zone': 'zone-b' },
      },
    })
    await h.idle()
    assert.deepEqual(zones(), ['zone-b'])
  })
})
