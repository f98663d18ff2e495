// Unit tests of the pure Deployment logic: rolling-update steps, Recreate, scaling, status.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node'
import {
  deploymentStatus,
  msUntilProgressDeadline,
  planDeployment,
  resolveIntOrPercent,
  surgeAndUnavailable,
} from './deployment-plan.ts'
import { podTemplateHash } from './pod-template-hash.ts'

const uid = 'd-uid'
function deploy(
  replicas: number,
  image: string,
  strategy?: V1Deployment['spec'] extends infer S ? (S extends { strategy?: infer T } ? T : never) : never,
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', uid, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
      ...(strategy ? { strategy } : {}),
    },
  }
}

function rsFor(
  d: V1Deployment,
  replicas: number,
  available: number,
  created: string,
  revision: string,
): V1ReplicaSet {
  const hash = podTemplateHash(d.spec?.template)
  return {
    metadata: {
      name: `web-${hash}`,
      uid: `rs-${hash}`,
      creationTimestamp: created as unknown as Date,
      annotations: {
        'deployment.kubernetes.io/revision': revision,
        'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas),
        'deployment.kubernetes.io/max-replicas': String(
          (d.spec?.replicas ?? 0) + surgeAndUnavailable(d).maxSurge,
        ),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid, controller: true }],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
      template: { ...d.spec!.template, metadata: { labels: { app: 'web', 'pod-template-hash': hash } } },
    },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  }
}

describe('resolveIntOrPercent and surgeAndUnavailable', () => {
  it('rounds surge up and unavailable down, with the 25% defaults', () => {
    assert.equal(resolveIntOrPercent('25%', 3, true, '0'), 1)
    assert.equal(resolveIntOrPercent('25%', 3, false, '0'), 0)
    assert.equal(resolveIntOrPercent(2, 3, false, '0'), 2)
    assert.deepEqual(surgeAndUnavailable(deploy(4, 'a')), { maxSurge: 1, maxUnavailable: 1 })
    assert.deepEqual(surgeAndUnavailable(deploy(3, 'a')), { maxSurge: 1, maxUnavailable: 0 })
  })
  it('never lets both be zero', () => {
    const d = deploy(3, 'a', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } })
    assert.deepEqual(surgeAndUnavailable(d), { maxSurge: 0, maxUnavailable: 1 })
  })
})

describe('planDeployment', () => {
  it('creates the first ReplicaSet at full size, named <deploy>-<hash> with the hash label', () => {
    const d = deploy(3, 'a')
    const plan = planDeployment(d, [], new Map())
    const hash = podTemplateHash(d.spec?.template)
    assert.equal(plan.create?.metadata?.name, `web-${hash}`)
    assert.equal(plan.create?.spec?.replicas, 3)
    assert.equal(plan.create?.spec?.template?.metadata?.labels?.['pod-template-hash'], hash)
    assert.equal(plan.create?.spec?.selector?.matchLabels?.['pod-template-hash'], hash)
    assert.equal(plan.create?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1')
    assert.deepEqual(plan.create?.metadata?.ownerReferences?.[0]?.uid, uid)
  })

  it('scales the current ReplicaSet up and down with spec.replicas', () => {
    const d1 = deploy(3, 'a')
    const rs = rsFor(d1, 3, 3, '2024-01-01T00:00:00Z', '1')
    assert.deepEqual(
      planDeployment(deploy(5, 'a'), [rs], new Map()).changes.map((c) => c.replicas),
      [5],
    )
    assert.deepEqual(
      planDeployment(deploy(1, 'a'), [rs], new Map()).changes.map((c) => c.replicas),
      [1],
    )
    assert.deepEqual(planDeployment(d1, [rs], new Map()).changes, [])
  })

  it('rolls out within maxSurge=1/maxUnavailable=1 for 4 replicas', () => {
    const oldD = deploy(4, 'a')
    const newD = deploy(4, 'b')
    const old = rsFor(oldD, 4, 4, '2024-01-01T00:00:00Z', '1')
    // Step 1: the new ReplicaSet is created with the surge room only (4 + 1 - 4 = 1).
    const p1 = planDeployment(newD, [old], new Map())
    assert.equal(p1.create?.spec?.replicas, 1)
    assert.equal(p1.create?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2')
    assert.deepEqual(p1.changes, [])
    // Step 2: new RS has 1 unavailable pod; old may drop to keep 3 available: 5 - 3 - 1 = 1 → old 3.
    const fresh = rsFor(newD, 1, 0, '2024-01-01T00:01:00Z', '2')
    const p2 = planDeployment(newD, [old, fresh], new Map())
    assert.deepEqual(
      p2.changes.map((c) => [c.name, c.replicas]),
      [[old.metadata!.name, 3]],
    )
    // Step 3: old 3 (3 available), new 1 available → new may grow to 2 (total 5).
    const old3 = rsFor(oldD, 3, 3, '2024-01-01T00:00:00Z', '1')
    const new1 = rsFor(newD, 1, 1, '2024-01-01T00:01:00Z', '2')
    const p3 = planDeployment(newD, [old3, new1], new Map())
    assert.deepEqual(
      p3.changes.map((c) => [c.name, c.replicas]),
      [[new1.metadata!.name, 2]],
    )
    // Step 4: at the surge limit, old scales down by what is available above minAvailable (4 available - 3).
    const new2 = rsFor(newD, 2, 1, '2024-01-01T00:01:00Z', '2')
    const p4 = planDeployment(newD, [old3, new2], new Map())
    assert.deepEqual(
      p4.changes.map((c) => [c.name, c.replicas]),
      [[old3.metadata!.name, 2]],
    )
  })

  it('Recreate scales old ReplicaSets to zero and waits for their pods before creating the new one', () => {
    const strategy = { type: 'Recreate' }
    const old = rsFor(deploy(2, 'a'), 2, 2, '2024-01-01T00:00:00Z', '1')
    const d = deploy(2, 'b', strategy)
    const p1 = planDeployment(d, [old], new Map([[old.metadata!.name!, 2]]))
    assert.equal(p1.create, undefined)
    assert.deepEqual(
      p1.changes.map((c) => c.replicas),
      [0],
    )
    const gone = { ...old, spec: { ...old.spec!, replicas: 0 }, status: { replicas: 0 } }
    const p2 = planDeployment(d, [gone], new Map())
    assert.equal(p2.create?.spec?.replicas, 2)
  })

  it('prunes idle old ReplicaSets beyond revisionHistoryLimit', () => {
    const d = { ...deploy(1, 'z'), spec: { ...deploy(1, 'z').spec!, revisionHistoryLimit: 1 } }
    const idle = ['a', 'b', 'c'].map((img, i) => {
      const rs = rsFor(deploy(1, img), 0, 0, `2024-01-0${i + 1}T00:00:00Z`, String(i + 1))
      return { ...rs, status: { replicas: 0 } }
    })
    const cur = rsFor(d, 1, 1, '2024-01-05T00:00:00Z', '4')
    assert.deepEqual(planDeployment(d, [...idle, cur], new Map()).deletions, [
      idle[0]!.metadata!.name,
      idle[1]!.metadata!.name,
    ])
  })
})

describe('scaling in the middle of a rollout (proportional scaling)', () => {
  const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }
  // Upstream's e2e "deployment should support proportional scaling": 10 replicas, a rollout to a broken image
  // stuck with the old ReplicaSet at 8 and the new one at 5 (none of it available).
  const stuck = (): V1ReplicaSet[] => [
    rsFor(deploy(10, 'a', strategy), 8, 8, '2024-01-01T00:00:00Z', '1'),
    rsFor(deploy(10, 'broken', strategy), 5, 0, '2024-01-01T00:01:00Z', '2'),
  ]
  const sizes = (d: V1Deployment, rss: V1ReplicaSet[]): number[] => {
    const plan = planDeployment(d, rss, new Map())
    assert.equal(plan.create, undefined)
    return rss.map(
      (rs) => plan.changes.find((c) => c.name === rs.metadata?.name)?.replicas ?? rs.spec!.replicas!,
    )
  }
  it('shares a scale-up over both ReplicaSets in proportion, as upstream: 30 replicas → 20 old and 13 new', () => {
    const d = deploy(30, 'broken', strategy)
    assert.deepEqual(sizes(d, stuck()), [20, 13])
    const plan = planDeployment(d, stuck(), new Map())
    for (const c of plan.changes) {
      assert.equal(c.annotations['deployment.kubernetes.io/desired-replicas'], '30', c.name)
      assert.equal(c.annotations['deployment.kubernetes.io/max-replicas'], '33', c.name)
    }
  })
  it('shares a scale-down the same way: 5 replicas → 5 old and 3 new', () => {
    assert.deepEqual(sizes(deploy(5, 'broken', strategy), stuck()), [5, 3])
  })
  it('is not a scaling event once the ReplicaSets carry the current replicas: the stuck rollout stays put', () => {
    // 13 pods is replicas + maxSurge and only 8 are available (10 - maxUnavailable): no step is allowed.
    assert.deepEqual(sizes(deploy(10, 'broken', strategy), stuck()), [8, 5])
  })
})

describe('deploymentStatus', () => {
  it('sums ReplicaSet counts and reports Available/Progressing like upstream', () => {
    const d = deploy(2, 'a')
    const rs = rsFor(d, 2, 2, '2024-01-01T00:00:00Z', '1')
    const st = deploymentStatus(d, [rs], rs, false, new Date('2024-01-01T00:00:10Z'))
    assert.equal(st.replicas, 2)
    assert.equal(st.updatedReplicas, 2)
    assert.equal(st.availableReplicas, 2)
    assert.equal(st.unavailableReplicas, 0)
    assert.equal(st.observedGeneration, 1)
    assert.deepEqual(
      st.conditions?.map((c) => [c.type, c.status, c.reason]),
      [
        ['Available', 'True', 'MinimumReplicasAvailable'],
        ['Progressing', 'True', 'NewReplicaSetAvailable'],
      ],
    )
    assert.equal(
      st.conditions?.[1]?.message,
      `ReplicaSet "${rs.metadata?.name}" has successfully progressed.`,
    )
  })
  it('keeps lastTransitionTime while a condition keeps its status', () => {
    const d = deploy(2, 'a')
    const rs = rsFor(d, 2, 2, '2024-01-01T00:00:00Z', '1')
    const first = deploymentStatus(d, [rs], rs, false, new Date('2024-01-01T00:00:10Z'))
    const again = deploymentStatus({ ...d, status: first }, [rs], rs, false, new Date('2024-01-01T00:05:00Z'))
    assert.deepEqual(again, first)
  })
  it('times out a rollout that makes no progress for progressDeadlineSeconds, and recovers on progress', () => {
    const t0 = '2024-01-01T00:00:00Z'
    const d = deploy(2, 'b')
    d.spec!.progressDeadlineSeconds = 60
    const rs = rsFor(d, 2, 0, t0, '2')
    const stuck: V1Deployment = {
      ...d,
      status: {
        ...deploymentStatus(d, [rs], rs, false, new Date(t0)),
      },
    }
    const p0 = stuck.status!.conditions!.find((c) => c.type === 'Progressing')!
    assert.deepEqual([p0.status, p0.reason, p0.lastUpdateTime], ['True', 'ReplicaSetUpdated', t0])
    assert.equal(msUntilProgressDeadline(stuck, new Date('2024-01-01T00:00:45Z')), 15_000)
    const at = (iso: string, rsNow = rs) =>
      deploymentStatus(stuck, [rsNow], rsNow, false, new Date(iso)).conditions!.find(
        (c) => c.type === 'Progressing',
      )!
    const early = at('2024-01-01T00:00:59Z')
    assert.deepEqual(early, p0, 'no progress before the deadline: the condition stays as it was')
    const late = at('2024-01-01T00:01:01Z')
    assert.deepEqual(
      [late.status, late.reason, late.message],
      ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rs.metadata!.name}" has timed out progressing.`],
    )
    assert.equal(msUntilProgressDeadline({ ...stuck, status: { conditions: [late] } }, new Date()), undefined)
    const moved = at('2024-01-01T00:01:01Z', rsFor(d, 2, 1, t0, '2'))
    assert.deepEqual(
      [moved.status, moved.reason, moved.lastUpdateTime],
      ['True', 'ReplicaSetUpdated', '2024-01-01T00:01:01Z'],
    )
  })
  it('marks a paused Deployment Progressing=Unknown and resumed when unpaused, without a deadline while paused', () => {
    const d = deploy(2, 'a')
    const rs = rsFor(d, 2, 1, '2024-01-01T00:00:00Z', '1')
    const paused = { ...d, spec: { ...d.spec!, paused: true } }
    const st = deploymentStatus(paused, [rs], rs, false, new Date('2024-01-01T00:00:10Z'))
    const p = st.conditions!.find((c) => c.type === 'Progressing')!
    assert.deepEqual([p.status, p.reason, p.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused'])
    assert.equal(
      msUntilProgressDeadline({ ...paused, status: st }, new Date('2025-01-01T00:00:00Z')),
      undefined,
    )
    const resumed = deploymentStatus({ ...d, status: st }, [rs], rs, false, new Date('2024-01-01T00:00:20Z'))
    const r = resumed.conditions!.find((c) => c.type === 'Progressing')!
    assert.deepEqual(
      [r.status, r.reason, r.message],
      ['Unknown', 'DeploymentResumed', 'Deployment is resumed'],
    )
  })
})
