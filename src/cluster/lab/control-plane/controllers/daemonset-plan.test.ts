// Unit tests of the pure DaemonSet logic: eligible nodes, the pinned pod, extra/outdated pods, status.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1DaemonSet, V1Pod } from '@kubernetes/client-node'
import { daemonPodFor, nodeVerdict, planDaemonSet, targetNode } from './daemonset-plan.ts'
import { podTemplateHash } from './pod-template-hash.ts'
import { makeNode } from './test-fixtures.ts'

const nodes = [makeNode('cp', { controlPlane: true }), makeNode('w1'), makeNode('w2')]
const ds = (
  image = 'x',
  tolerations: V1Pod['spec'] extends infer S ? (S extends { tolerations?: infer T } ? T : never) : never = [],
): V1DaemonSet => ({
  metadata: { name: 'agent', namespace: 'ns', uid: 'ds-uid', generation: 1 },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: {
      metadata: { labels: { app: 'agent' } },
      spec: { containers: [{ name: 'c', image }], tolerations },
    },
  },
})

function running(d: V1DaemonSet, node: string, name: string, ready = true): V1Pod {
  const p = daemonPodFor(d, node)
  return {
    ...p,
    metadata: { ...p.metadata, name, creationTimestamp: '2024-01-01T00:00:00Z' as unknown as Date },
    spec: { ...p.spec!, nodeName: node },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }
}

describe('nodeVerdict', () => {
  it('skips the tainted control-plane unless the template tolerates NoSchedule', () => {
    assert.equal(nodeVerdict(ds(), nodes[0]!).shouldRun, false)
    assert.equal(nodeVerdict(ds(), nodes[0]!).shouldContinueRunning, true)
    assert.equal(nodeVerdict(ds('x', [{ operator: 'Exists' }]), nodes[0]!).shouldRun, true)
    assert.equal(nodeVerdict(ds(), nodes[1]!).shouldRun, true)
  })
})

describe('daemonPodFor', () => {
  it('pins the pod to its node with matchFields and adds upstream tolerations and revision labels', () => {
    const p = daemonPodFor(ds(), 'w1')
    assert.equal(targetNode(p), 'w1')
    assert.equal(p.metadata?.generateName, 'agent-')
    assert.equal(p.metadata?.labels?.['controller-revision-hash'], podTemplateHash(ds().spec?.template))
    assert.ok(
      p.spec?.tolerations?.some(
        (t) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule',
      ),
    )
    assert.equal(p.metadata?.ownerReferences?.[0]?.kind, 'DaemonSet')
  })
})

describe('planDaemonSet', () => {
  it('creates pods on eligible nodes without one and reports status', () => {
    const d = ds()
    const plan = planDaemonSet(d, nodes, [running(d, 'w1', 'a')], 0)
    assert.deepEqual(plan.createOn, ['w2'])
    assert.deepEqual(plan.delete, [])
    assert.deepEqual(plan.status, {
      currentNumberScheduled: 1,
      desiredNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 1,
      updatedNumberScheduled: 1,
      observedGeneration: 1,
    })
  })
  it('deletes extra pods on a node, pods of deleted nodes and failed pods', () => {
    const d = ds()
    const failed = { ...running(d, 'w2', 'failed'), status: { phase: 'Failed' } }
    const extra = {
      ...running(d, 'w1', 'extra'),
      metadata: {
        ...running(d, 'w1', 'extra').metadata,
        creationTimestamp: '2024-02-01T00:00:00Z' as unknown as Date,
      },
    }
    const plan = planDaemonSet(
      d,
      nodes,
      [running(d, 'w1', 'a'), extra, running(d, 'gone', 'orphan'), failed],
      0,
    )
    assert.deepEqual(plan.delete, ['extra', 'failed', 'orphan'])
    assert.deepEqual(plan.createOn, ['w2'])
  })
  it('replaces outdated pods one unavailable at a time (RollingUpdate, maxUnavailable 1)', () => {
    const old = ds('v1')
    const pods = [running(old, 'w1', 'a'), running(old, 'w2', 'b')]
    const plan = planDaemonSet(ds('v2'), nodes, pods, 0)
    assert.deepEqual(plan.delete, ['a'])
    assert.equal(plan.status.updatedNumberScheduled, 0)
    const notReady = [running(old, 'w1', 'a', false), running(old, 'w2', 'b')]
    assert.deepEqual(planDaemonSet(ds('v2'), nodes, notReady, 0).delete, ['a'])
  })
  it('with maxSurge starts the new pod beside the old one and deletes the old one once the new is available', () => {
    const surging = (image: string): V1DaemonSet => {
      const d = ds(image)
      d.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
      return d
    }
    const old = surging('v1')
    const next = surging('v2')
    // Both nodes run v1: one node (by name) gets a v2 pod beside its v1 pod; nothing is deleted.
    const first = planDaemonSet(next, nodes, [running(old, 'w1', 'a'), running(old, 'w2', 'b')], 0)
    assert.deepEqual([first.createOn, first.delete], [['w1'], []])
    // The v2 pod on w1 is not ready yet: w1 keeps both, and maxSurge 1 is used up.
    const waiting = planDaemonSet(
      next,
      nodes,
      [running(old, 'w1', 'a'), running(next, 'w1', 'a2', false), running(old, 'w2', 'b')],
      0,
    )
    assert.deepEqual([waiting.createOn, waiting.delete], [[], []])
    assert.equal(waiting.status.currentNumberScheduled, 2, 'a node with two pods counts once')
    // It is available: w1's v1 pod goes and w2 gets its v2 pod.
    const moving = planDaemonSet(
      next,
      nodes,
      [running(old, 'w1', 'a'), running(next, 'w1', 'a2'), running(old, 'w2', 'b')],
      0,
    )
    assert.deepEqual([moving.createOn, moving.delete], [['w2'], ['a']])
    // An old pod that is not available is replaced at once, beyond maxSurge.
    const broken = planDaemonSet(
      next,
      nodes,
      [running(old, 'w1', 'a'), running(next, 'w1', 'a2', false), running(old, 'w2', 'b', false)],
      0,
    )
    assert.deepEqual([broken.createOn, broken.delete], [['w2'], []])
  })
})
