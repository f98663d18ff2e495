// Unit tests of Event objects.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eventSeriesKey, newEvent } from './event.ts'

const subject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { namespace: 'shop', name: 'web', uid: 'u1', resourceVersion: '7' },
}

test('an event names its subject, its source and its times, with count 1', () => {
  const ev = newEvent({
    subject,
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-abc from 0 to 3',
    component: 'deployment-controller',
    now: '2026-01-01T00:00:00Z',
  })
  assert.match(ev.metadata.name, /^web\.[0-9a-f]{16}$/)
  assert.equal(ev.metadata.namespace, 'shop')
  assert.deepEqual(ev.involvedObject, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    uid: 'u1',
    resourceVersion: '7',
  })
  assert.deepEqual(ev.source, { component: 'deployment-controller' })
  assert.equal(ev.reportingComponent, 'deployment-controller')
  assert.equal(ev.firstTimestamp, '2026-01-01T00:00:00Z')
  assert.equal(ev.lastTimestamp, '2026-01-01T00:00:00Z')
  assert.equal(ev.count, 1)
})

test('events about cluster-scoped objects go to default; the series key ignores time and name', () => {
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker', uid: 'n1' } }
  const a = newEvent({
    subject: node,
    type: 'Warning',
    reason: 'R',
    message: 'm',
    component: 'c',
    host: 'h',
    now: 't1',
  })
  const b = newEvent({
    subject: node,
    type: 'Warning',
    reason: 'R',
    message: 'm',
    component: 'c',
    host: 'h',
    now: 't2',
  })
  assert.equal(a.metadata.namespace, 'default')
  assert.deepEqual(a.source, { component: 'c', host: 'h' })
  assert.notEqual(a.metadata.name, b.metadata.name)
  assert.equal(eventSeriesKey(a), eventSeriesKey(b))
  const c = newEvent({
    subject: node,
    type: 'Warning',
    reason: 'R',
    message: 'other',
    component: 'c',
    now: 't1',
  })
  assert.notEqual(eventSeriesKey(a), eventSeriesKey(c))
})
