// Tests of the replicaset controller's sync against a real MemoryStore: a pod the API server refuses is reported as
// upstream's FailedCreate event on the ReplicaSet.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { V1Pod } from '@kubernetes/client-node'
import { defaultAdmission } from '../apiserver/default-admission.ts'
import { MemoryStore } from '../apiserver/memory-store.ts'
import { StatusError } from '../apiserver/status-error.ts'
import type { Store } from '../apiserver/store.ts'
import type { EventObject } from '../../../../kube/event.ts'
import { eventRecorder } from './event-recorder.ts'
import { InformerSet } from './informer.ts'
import { syncReplicaSet } from './replicaset.ts'
import { realClock } from '../../../../wait/clock.ts'

describe('syncReplicaSet', () => {
  it('records FailedCreate with the API server message when a pod is refused, and fails the reconcile', () => {
    const store = new MemoryStore({ admission: defaultAdmission() })
    // The real store, except that pod creates are refused as a quota would refuse them.
    const refusing: Store = {
      get: (...a) => store.get(...a),
      list: (...a) => store.list(...a),
      update: (...a) => store.update(...a),
      delete: (...a) => store.delete(...a),
      watch: (...a) => store.watch(...a),
      create: (r, o) => {
        if (r === 'pods') throw new StatusError(403, 'Forbidden', 'pods "web-x" is forbidden: exceeded quota')
        return store.create(r, o)
      },
    }
    store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    })
    const ctx = {
      store: refusing,
      informers: new InformerSet(store, () => {}),
      log: (l: string) => assert.fail(l),
      now: () => new Date(),
      clock: realClock,
      queues: [],
    }
    const events = eventRecorder(ctx, 'replicaset-controller')
    const none = (): V1Pod[] => []
    assert.throws(
      () => syncReplicaSet(refusing, 'default/web', new Date(), { podsOf: none, podsIn: none }, events),
      /exceeded quota/,
    )
    const ev = store.list('events', { namespace: 'default' }).items as unknown as EventObject[]
    assert.deepEqual(
      ev.map((e) => [e.type, e.reason, e.message, e.involvedObject['kind'], e.involvedObject['name']]),
      [
        [
          'Warning',
          'FailedCreate',
          'Error creating: pods "web-x" is forbidden: exceeded quota',
          'ReplicaSet',
          'web',
        ],
      ],
    )
  })
})
