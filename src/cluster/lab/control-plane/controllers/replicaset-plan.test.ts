// Unit tests of the pure ReplicaSet logic: counts, surplus order, pod template, status.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node'
import { planReplicaSet, podFromTemplate, replicaSetStatus } from './replicaset-plan.ts'

const rs = (replicas: number, minReadySeconds = 0): V1ReplicaSet => ({
  metadata: { name: 'web-abc', uid: 'rs-uid', generation: 3 },
  spec: {
    replicas,
    minReadySeconds,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' }, annotations: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    },
  },
})

function pod(
  name: string,
  o: {
    node?: string
    ready?: boolean
    created?: string
    deleting?: boolean
    phase?: string
    since?: string
  } = {},
): V1Pod {
  return {
    metadata: {
      name,
      labels: { app: 'web' },
      creationTimestamp: (o.created ?? '2024-01-01T00:00:00Z') as unknown as Date,
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:10:00Z' as unknown as Date } : {}),
    },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? (o.node ? 'Running' : 'Pending'),
      conditions: [
        {
          type: 'Ready',
          status: o.ready ? 'True' : 'False',
          lastTransitionTime: (o.since ?? '2024-01-01T00:00:00Z') as unknown as Date,
        },
      ],
    },
  }
}

describe('planReplicaSet', () => {
  it('creates the missing pods, not counting terminating or finished ones', () => {
    const pods = [
      pod('a', { node: 'w', ready: true }),
      pod('b', { deleting: true, node: 'w' }),
      pod('c', { phase: 'Succeeded', node: 'w' }),
    ]
    assert.deepEqual(planReplicaSet(rs(3), pods), { create: 2, delete: [] })
  })
  it('deletes unscheduled first, then not ready, then the newest', () => {
    const pods = [
      pod('old-ready', { node: 'w', ready: true, created: '2024-01-01T00:00:00Z' }),
      pod('new-ready', { node: 'w', ready: true, created: '2024-01-02T00:00:00Z' }),
      pod('not-ready', { node: 'w', ready: false }),
      pod('unscheduled'),
    ]
    assert.deepEqual(planReplicaSet(rs(3), pods).delete, ['unscheduled'])
    assert.deepEqual(planReplicaSet(rs(2), pods).delete, ['unscheduled', 'not-ready'])
    assert.deepEqual(planReplicaSet(rs(1), pods).delete, ['unscheduled', 'not-ready', 'new-ready'])
  })
})

describe('podFromTemplate', () => {
  it('copies labels, annotations and spec, with generateName and the owner', () => {
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web-abc',
      uid: 'rs-uid',
      controller: true,
    }
    const p = podFromTemplate(rs(1).spec?.template, 'ns', 'web-abc-', owner)
    assert.deepEqual(p.metadata, {
      generateName: 'web-abc-',
      namespace: 'ns',
      labels: { app: 'web' },
      annotations: { a: 'b' },
      ownerReferences: [owner],
    })
    assert.deepEqual(p.spec, { containers: [{ name: 'c', image: 'x' }] })
  })
})

describe('replicaSetStatus', () => {
  it('counts active, fully labeled, ready and available (minReadySeconds) pods', () => {
    const pods = [
      pod('a', { node: 'w', ready: true, since: '2024-01-01T00:00:00Z' }),
      pod('b', { node: 'w', ready: true, since: '2024-01-01T00:00:55Z' }),
      { ...pod('c', { node: 'w' }), metadata: { name: 'c', labels: { other: 'x' } } },
      pod('d', { node: 'w', ready: true, deleting: true }),
    ]
    assert.deepEqual(replicaSetStatus(rs(3, 10), pods, Date.parse('2024-01-01T00:01:00Z')), {
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 3,
    })
  })
})
