// End-to-end tests of the workload controllers against the real MemoryStore: scheduler, DaemonSet, rollout, GC.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node'
import type { KubeObject } from '../apiserver/store.ts'
import { toKube } from './objects.ts'
import { rfc3339 } from '../../../../kube/time.ts'
import { controllerHarness, deployment, listAs, NS, setPodRunning } from './test-fixtures.ts'

describe('workload controllers', () => {
  const h = controllerHarness()

  const pods = (): V1Pod[] => listAs<V1Pod>(h.store, 'pods', NS).filter((p) => !p.metadata?.deletionTimestamp)

  const pod = (name: string, spec: Partial<V1Pod['spec']> = {}): KubeObject =>
    toKube({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS, labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
    })

  it('marks a pod that fits nowhere Unschedulable with the upstream message, and binds it once a node fits', async () => {
    h.store.create('pods', pod('picky', { nodeSelector: { disk: 'ssd' } }))
    await h.idle()
    const picky = h.store.get('pods', NS, 'picky') as unknown as V1Pod
    const cond = picky.status?.conditions?.find((x) => x.type === 'PodScheduled')
    assert.ok(cond, 'PodScheduled=False')
    assert.equal(cond.status, 'False')
    assert.equal(cond.reason, 'Unschedulable')
    assert.equal(
      cond.message,
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
    )
    const node = h.store.get('nodes', undefined, 'lab-worker2')!
    h.store.update('nodes', {
      ...node,
      metadata: { ...node.metadata, labels: { ...node.metadata.labels, disk: 'ssd' } },
    })
    await h.idle()
    const p = h.store.get('pods', NS, 'picky') as unknown as V1Pod
    assert.equal(p.spec?.nodeName, 'lab-worker2', 'picky bound to lab-worker2')
  })

  it('runs a DaemonSet pod on every node whose taints it tolerates, pinned by node affinity', async () => {
    const ds = (
      name: string,
      tolerations: { key?: string; operator?: string; effect?: string }[],
    ): KubeObject =>
      toKube({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name, namespace: NS },
        spec: {
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: { containers: [{ name: 'c', image: 'busybox' }], tolerations },
          },
        },
      })
    h.store.create('daemonsets', ds('everywhere', [{ operator: 'Exists', effect: 'NoSchedule' }]))
    h.store.create('daemonsets', ds('workers', []))
    const placed = async (name: string, n: number): Promise<V1Pod[]> => {
      await h.idle()
      const ps = pods().filter((p) => p.metadata?.labels?.['app'] === name && p.spec?.nodeName)
      assert.equal(ps.length, n, `${n} ${name} pods bound`)
      return ps
    }
    const everywhere = await placed('everywhere', 3)
    assert.deepEqual(everywhere.map((p) => p.spec?.nodeName).sort(), [
      'lab-control-plane',
      'lab-worker',
      'lab-worker2',
    ])
    for (const p of everywhere) {
      assert.deepEqual(
        p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
        [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName] }] }],
      )
    }
    const workers = await placed('workers', 2)
    assert.deepEqual(workers.map((p) => p.spec?.nodeName).sort(), ['lab-worker', 'lab-worker2'])
    for (const p of everywhere)
      setPodRunning(h.store, p as unknown as KubeObject, `10.244.0.${everywhere.indexOf(p) + 2}`)
    await h.idle()
    const st = (h.store.get('daemonsets', NS, 'everywhere') as KubeObject)['status'] as
      Record<string, number> | undefined
    const want = {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 3,
      numberAvailable: 3,
      updatedNumberScheduled: 3,
      numberMisscheduled: 0,
    }
    assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, st?.[k]])), want, 'DaemonSet status')
  })

  it('rolls a template change out through a new ReplicaSet and scales the old one to zero', async () => {
    h.store.create('deployments', toKube(deployment('roll', 2)))
    let nextIP = 2
    // Plays the kubelet: every bound pod without an IP becomes Running and Ready.
    const readyAll = (): boolean => {
      const fresh = pods().filter((p) => p.spec?.nodeName && p.status?.podIP === undefined)
      for (const p of fresh) setPodRunning(h.store, p as unknown as KubeObject, `10.244.2.${nextIP++}`)
      return fresh.length > 0
    }
    await h.converge(readyAll)
    const first1 = h.store.get('deployments', NS, 'roll') as unknown as V1Deployment
    assert.equal(first1.status?.availableReplicas, 2, 'first rollout complete')
    const first = listAs<V1ReplicaSet>(h.store, 'replicasets', NS)[0]!
    const cur = h.store.get('deployments', NS, 'roll')!
    h.store.update(
      'deployments',
      toKube({ ...deployment('roll', 2, 'hello-app:2.0'), metadata: cur.metadata }),
    )
    await h.converge(readyAll)
    const d = h.store.get('deployments', NS, 'roll') as unknown as V1Deployment
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing')
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable', 'second rollout complete')
    assert.equal(d.status?.observedGeneration, 2)
    assert.equal(d.status?.updatedReplicas, 2)
    const rss = listAs<V1ReplicaSet>(h.store, 'replicasets', NS)
    assert.equal(rss.length, 2)
    const old = rss.find((r) => r.metadata?.name === first.metadata?.name)!
    const next = rss.find((r) => r.metadata?.name !== first.metadata?.name)!
    assert.equal(old.spec?.replicas, 0)
    assert.equal(next.spec?.replicas, 2)
    assert.equal(next.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2')
    assert.equal(next.spec?.template?.spec?.containers[0]?.image, 'hello-app:2.0')
    assert.ok(pods().every((p) => p.spec?.containers[0]?.image === 'hello-app:2.0'))
  })

  it('garbage-collects ReplicaSets and pods when their Deployment goes', async () => {
    h.store.create('deployments', toKube(deployment('gone', 2)))
    await h.idle()
    assert.equal(pods().length, 2, '2 pods')
    h.store.delete('deployments', NS, 'gone')
    await h.idle()
    assert.equal(h.store.list('replicasets', { namespace: NS }).items.length, 0, 'ReplicaSets gone')
    assert.equal(pods().length, 0, 'pods gone')
  })

  it('reports ProgressDeadlineExceeded once a rollout stalls past progressDeadlineSeconds on the clock', async () => {
    const d = deployment('stall', 2)
    d.spec!.progressDeadlineSeconds = 30
    h.store.create('deployments', toKube(d))
    await h.idle()
    const progressing = (): [string | undefined, string | undefined] => {
      const dep = h.store.get('deployments', NS, 'stall') as unknown as V1Deployment
      const c = dep.status?.conditions?.find((x) => x.type === 'Progressing')
      return [c?.status, c?.reason]
    }
    // No kubelet here: the pods never run, so nothing becomes available.
    assert.deepEqual(progressing(), ['True', 'ReplicaSetUpdated'])
    await h.clock.advance(29_000)
    await h.idle()
    assert.deepEqual(progressing(), ['True', 'ReplicaSetUpdated'], 'not before the deadline')
    await h.clock.advance(2_000)
    await h.idle()
    assert.deepEqual(progressing(), ['False', 'ProgressDeadlineExceeded'])
  })

  it('scales a stuck rollout proportionally, as upstream e2e "deployment should support proportional scaling"', async () => {
    const d = deployment('prop', 10, 'hello-app:1.0')
    d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }
    h.store.create('deployments', toKube(d))
    let nextIP = 2
    // Plays the kubelet for the good image only: pods of the broken one never become ready.
    const readyGood = (): boolean => {
      const fresh = pods().filter(
        (p) => p.spec?.nodeName && !p.status?.podIP && p.spec.containers[0]?.image === 'hello-app:1.0',
      )
      for (const p of fresh) setPodRunning(h.store, p as unknown as KubeObject, `10.244.3.${nextIP++}`)
      return fresh.length > 0
    }
    await h.converge(readyGood)
    const sizes = (): Record<string, number> =>
      Object.fromEntries(
        listAs<V1ReplicaSet>(h.store, 'replicasets', NS).map((rs) => [
          rs.spec!.template!.spec!.containers[0]!.image!,
          rs.spec!.replicas!,
        ]),
      )
    assert.deepEqual(sizes(), { 'hello-app:1.0': 10 })
    const cur = h.store.get('deployments', NS, 'prop')!
    h.store.update(
      'deployments',
      toKube({
        ...d,
        spec: { ...d.spec!, template: deployment('prop', 10, 'broken:0').spec!.template },
        metadata: cur.metadata,
      }),
    )
    await h.converge(readyGood)
    assert.deepEqual(sizes(), { 'hello-app:1.0': 8, 'broken:0': 5 }, 'the rollout is stuck')
    const stuck = h.store.get('deployments', NS, 'prop')!
    h.store.update('deployments', { ...stuck, spec: { ...(stuck['spec'] as object), replicas: 30 } })
    await h.converge(readyGood)
    assert.deepEqual(sizes(), { 'hello-app:1.0': 20, 'broken:0': 13 })
  })

  it('a ReplicaSet adopts a matching orphan pod and releases a pod relabelled out of its selector', async () => {
    h.store.create('pods', pod('pod-adoption-release'))
    h.store.create(
      'replicasets',
      toKube({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'pod-adoption-release', namespace: NS },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'pod-adoption-release' } },
          template: {
            metadata: { labels: { app: 'pod-adoption-release' } },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      }),
    )
    await h.idle()
    const rs = h.store.get('replicasets', NS, 'pod-adoption-release')!
    assert.deepEqual(
      pods().map((p) => [p.metadata?.name, p.metadata?.ownerReferences?.[0]?.uid]),
      [['pod-adoption-release', rs.metadata.uid]],
      'adopted, and no second pod created',
    )
    const p = h.store.get('pods', NS, 'pod-adoption-release')!
    h.store.update('pods', { ...p, metadata: { ...p.metadata, labels: { app: 'released' } } })
    await h.idle()
    const after = pods()
    assert.equal(after.length, 2, 'a replacement was created')
    assert.deepEqual(
      h.store.get('pods', NS, 'pod-adoption-release')?.metadata.ownerReferences,
      [],
      'released',
    )
    assert.equal(
      after.find((x) => x.metadata?.name !== 'pod-adoption-release')?.metadata?.ownerReferences?.[0]?.uid,
      rs.metadata.uid,
    )
  })

  it('a Deployment re-created after an orphaning delete adopts its old ReplicaSet and pods', async () => {
    h.store.create('deployments', toKube(deployment('adopt', 2)))
    await h.idle()
    const rsBefore = listAs<V1ReplicaSet>(h.store, 'replicasets', NS)
    const podsBefore = pods()
      .map((p) => p.metadata?.name)
      .sort()
    h.store.delete('deployments', NS, 'adopt', { propagationPolicy: 'Orphan' })
    await h.idle()
    assert.deepEqual(
      listAs<V1ReplicaSet>(h.store, 'replicasets', NS)[0]?.metadata?.ownerReferences,
      [],
      'orphaned',
    )
    h.store.create('deployments', toKube(deployment('adopt', 2)))
    await h.idle()
    const rss = listAs<V1ReplicaSet>(h.store, 'replicasets', NS)
    const d = h.store.get('deployments', NS, 'adopt')!
    assert.deepEqual(
      rss.map((r) => [r.metadata?.name, r.metadata?.ownerReferences?.[0]?.uid]),
      [[rsBefore[0]?.metadata?.name, d.metadata.uid]],
      'the same ReplicaSet, now owned by the new Deployment',
    )
    assert.deepEqual(
      pods()
        .map((p) => p.metadata?.name)
        .sort(),
      podsBefore,
      'the same pods',
    )
  })

  it('deletes a Deployment in the foreground: it stays until its ReplicaSet and pods are gone', async () => {
    h.store.create('deployments', toKube(deployment('fg', 2)))
    await h.idle()
    const rs = listAs<V1ReplicaSet>(h.store, 'replicasets', NS)[0]!.metadata!.name!
    h.store.delete('deployments', NS, 'fg', { propagationPolicy: 'Foreground' })
    await h.idle()
    const d = h.store.get('deployments', NS, 'fg')
    assert.deepEqual(d?.metadata.finalizers, ['foregroundDeletion'], 'the Deployment waits, marked')
    assert.ok(d?.metadata.deletionTimestamp)
    assert.deepEqual(h.store.get('replicasets', NS, rs)?.metadata.finalizers, ['foregroundDeletion'])
    const going = listAs<V1Pod>(h.store, 'pods', NS)
    assert.equal(going.length, 2)
    assert.ok(
      going.every((p) => p.metadata?.deletionTimestamp),
      'pods terminate gracefully on their nodes',
    )
    // Play the kubelet: the pods finish; then the ReplicaSet, then the Deployment go.
    for (const p of going) h.store.delete('pods', NS, p.metadata!.name!, { gracePeriodSeconds: 0 })
    await h.idle()
    assert.equal(h.store.get('replicasets', NS, rs), undefined)
    assert.equal(h.store.get('deployments', NS, 'fg'), undefined)
  })

  it('counts a DaemonSet pod available only after minReadySeconds, looking again on the clock', async () => {
    h.store.create(
      'daemonsets',
      toKube({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'slow', namespace: NS },
        spec: {
          minReadySeconds: 10,
          selector: { matchLabels: { app: 'slow' } },
          template: {
            metadata: { labels: { app: 'slow' } },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      }),
    )
    await h.idle()
    const readyAt = rfc3339(new Date(h.clock.now()))
    for (const p of pods()) {
      const status = {
        phase: 'Running',
        podIP: `10.244.4.${pods().indexOf(p) + 2}`,
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }],
      }
      h.store.update('pods', toKube({ ...p, status }), { subresource: 'status' })
    }
    await h.idle()
    const available = (): unknown =>
      ((h.store.get('daemonsets', NS, 'slow') as KubeObject)['status'] as Record<string, number>)[
        'numberAvailable'
      ]
    assert.equal(available(), 0, 'ready, not yet available')
    await h.clock.advance(10_100)
    await h.idle()
    assert.equal(available(), 2)
  })
})
