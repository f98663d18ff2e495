// Unit tests of node fit and the scheduler's choice and failure message.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Node, V1Pod } from '@kubernetes/client-node'
import { tolerates, unfitReason } from './node-fit.ts'
import { needsScheduling, schedulePod } from './scheduler.ts'
import { makeNode } from './test-fixtures.ts'

const nodes = [makeNode('cp', { controlPlane: true }), makeNode('w1'), makeNode('w2')]
const pod = (spec: Partial<V1Pod['spec']> = {}): V1Pod => ({
  metadata: { name: 'p' },
  spec: { containers: [], ...spec },
})

describe('tolerates', () => {
  it('matches key, value and effect as upstream', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' }
    assert.equal(tolerates({ operator: 'Exists' }, taint), true)
    assert.equal(tolerates({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint), false)
    assert.equal(tolerates({ key: 'k', value: 'v' }, taint), true)
    assert.equal(tolerates({ key: 'k', value: 'w', operator: 'Equal' }, taint), false)
    assert.equal(tolerates({ key: 'other', operator: 'Exists' }, taint), false)
  })
})

describe('schedulePod', () => {
  it('picks the worker with the fewest pods, ties by name, never the tainted control-plane', () => {
    assert.deepEqual(schedulePod(pod(), nodes, new Map()), { node: 'w1' })
    assert.deepEqual(
      schedulePod(
        pod(),
        nodes,
        new Map([
          ['w1', 2],
          ['w2', 1],
        ]),
      ),
      { node: 'w2' },
    )
  })
  it('places control-plane tolerating pods on the control-plane when it is emptiest', () => {
    const tol = pod({
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ],
    })
    assert.deepEqual(
      schedulePod(
        tol,
        nodes,
        new Map([
          ['w1', 1],
          ['w2', 1],
        ]),
      ),
      { node: 'cp' },
    )
  })
  it('honours matchFields and matchExpressions node affinity', () => {
    const pinned = pod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w2'] }] }],
          },
        },
      },
    })
    assert.deepEqual(schedulePod(pinned, nodes, new Map([['w2', 5]])), { node: 'w2' })
    const byLabel = pod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['w1'] }] },
            ],
          },
        },
      },
    })
    assert.deepEqual(schedulePod(byLabel, nodes, new Map()), { node: 'w2' })
  })
  it('explains why nothing fits, reasons sorted as upstream', () => {
    assert.deepEqual(schedulePod(pod({ nodeSelector: { disk: 'ssd' } }), nodes, new Map()), {
      message:
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
    })
    const cordoned: V1Node = { ...makeNode('w3'), spec: { unschedulable: true } }
    const notReady = makeNode('w4', { ready: false })
    assert.deepEqual(schedulePod(pod(), [cordoned, notReady], new Map()), {
      message:
        '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable.',
    })
    assert.deepEqual(schedulePod(pod(), [], new Map()), { message: 'no nodes available to schedule pods' })
  })
  it('treats a node with no Ready condition as not ready', () => {
    assert.equal(
      unfitReason(pod().spec, { metadata: { name: 'x' } }),
      'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    )
  })
})

describe('needsScheduling', () => {
  it('skips bound, terminating, finished and other schedulers’ pods', () => {
    assert.equal(needsScheduling(pod()), true)
    assert.equal(needsScheduling(pod({ nodeName: 'w1' })), false)
    assert.equal(needsScheduling(pod({ schedulerName: 'other' })), false)
    assert.equal(needsScheduling({ ...pod(), status: { phase: 'Failed' } }), false)
    assert.equal(needsScheduling({ ...pod(), metadata: { deletionTimestamp: new Date() } }), false)
  })
})
