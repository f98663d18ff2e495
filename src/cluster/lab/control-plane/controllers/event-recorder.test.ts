// Tests of the events the controllers record, as `kubectl describe` would list them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node'
import type { EventObject } from '../../../../kube/event.ts'
import { eventRecorder } from './event-recorder.ts'
import { toKube } from './objects.ts'
import { controllerHarness, deployment, listAs, NS } from './test-fixtures.ts'
import { InformerSet } from './informer.ts'

describe('controller events', () => {
  const h = controllerHarness()
  const events = (): EventObject[] => listAs<EventObject>(h.store, 'events', NS)
  const about = (kind: string, name: string): string[] =>
    events()
      .filter((e) => e.involvedObject['kind'] === kind && e.involvedObject['name'] === name)
      .map((e) => `${e.type} ${e.reason} ${e.source.component}: ${e.message}`)
      .sort()

  it('records scaling, pod creation and deletion, and scheduling as upstream words them', async () => {
    h.store.create('deployments', toKube(deployment('web', 3)))
    await h.idle()
    const rs = listAs<V1ReplicaSet>(h.store, 'replicasets', NS)[0]!.metadata!.name!
    const pods = listAs<V1Pod>(h.store, 'pods', NS)
    assert.deepEqual(about('Deployment', 'web'), [
      `Normal ScalingReplicaSet deployment-controller: Scaled up replica set ${rs} from 0 to 3`,
    ])
    assert.deepEqual(
      about('ReplicaSet', rs),
      pods
        .map((p) => `Normal SuccessfulCreate replicaset-controller: Created pod: ${p.metadata!.name}`)
        .sort(),
    )
    for (const p of pods)
      assert.deepEqual(about('Pod', p.metadata!.name!), [
        `Normal Scheduled default-scheduler: Successfully assigned ${NS}/${p.metadata!.name} to ${p.spec!.nodeName}`,
      ])
    const cur = h.store.get('deployments', NS, 'web')!
    h.store.update('deployments', { ...cur, spec: { ...(cur['spec'] as object), replicas: 1 } })
    await h.idle()
    assert.ok(
      about('Deployment', 'web').includes(
        `Normal ScalingReplicaSet deployment-controller: Scaled down replica set ${rs} from 3 to 1`,
      ),
      about('Deployment', 'web').join('\n'),
    )
    const deleted = about('ReplicaSet', rs).filter((e) => e.includes('SuccessfulDelete'))
    assert.equal(deleted.length, 2, deleted.join('\n'))
    assert.ok(deleted.every((e) => /: Deleted pod: web-/.test(e)))
    const ev = events().find((e) => e.reason === 'ScalingReplicaSet')!
    assert.equal(ev.involvedObject['uid'], cur.metadata.uid)
    assert.equal(ev.involvedObject['apiVersion'], 'apps/v1')
    assert.equal(ev.firstTimestamp, '2026-01-01T00:00:00Z', 'timestamps come from the controllers clock')
  })

  it('warns FailedScheduling with the reason a pod fits nowhere', async () => {
    h.store.create(
      'pods',
      toKube({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'picky', namespace: NS },
        spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox' }] },
      }),
    )
    await h.idle()
    assert.deepEqual(about('Pod', 'picky'), [
      "Warning FailedScheduling default-scheduler: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
    ])
  })

  it('counts a repeated event on the event already recorded', async () => {
    await h.idle()
    const logs: string[] = []
    const ctx = {
      store: h.store,
      informers: new InformerSet(h.store, () => {}),
      log: (l: string) => logs.push(l),
      now: () => new Date(h.clock.now()),
      clock: h.clock,
      queues: [],
    }
    const rec = eventRecorder(ctx, 'test-controller')
    const subject = h.store.get('namespaces', undefined, NS)!
    rec.event(subject, 'Warning', 'Odd', 'something odd')
    await h.clock.advance(5000)
    rec.event(subject, 'Warning', 'Odd', 'something odd')
    rec.event(subject, 'Warning', 'Odd', 'something else')
    const odd = listAs<EventObject>(h.store, 'events', 'default').filter((e) => e.reason === 'Odd')
    assert.deepEqual(odd.map((e) => [e.message, e.count, e.firstTimestamp, e.lastTimestamp]).sort(), [
      ['something else', 1, '2026-01-01T00:00:05Z', '2026-01-01T00:00:05Z'],
      ['something odd', 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z'],
    ])
    assert.deepEqual(logs, [])
  })
})
