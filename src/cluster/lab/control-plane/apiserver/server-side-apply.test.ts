import { test } from 'node:test'
import assert from 'node:assert/strict'
import { applyConfiguration, fieldSetOf } from './server-side-apply.ts'
import type { KubeObject } from './store.ts'

const svc = (spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}) },
  spec,
})

test('the owned fields are FieldsV1, associative list items keyed as upstream keys them', () => {
  assert.deepEqual(fieldSetOf({ spec: { ports: [{ port: 80, name: 'http' }], selector: { app: 'web' } } }), {
    'f:spec': {
      'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:name': {} } },
      'f:selector': { 'f:app': {} },
    },
  })
})

test('apply creates, then merges into what others set, and drops only what the manager stopped applying', () => {
  const first = applyConfiguration(
    undefined,
    svc({ selector: { app: 'web' }, ports: [{ port: 80 }, { port: 81 }] }, { app: 'web' }),
    'kubectl',
    't1',
  )
  // The server and another manager add to it.
  const live = structuredClone(first)
  const spec = live.spec as { clusterIP?: string; ports: { port: number; targetPort?: number }[] }
  spec.clusterIP = '10.96.0.20'
  spec.ports[0]!.targetPort = 8080
  live.metadata.labels = { ...live.metadata.labels, team: 'net' }
  const second = applyConfiguration(
    live,
    svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }),
    'kubectl',
    't2',
  )
  assert.deepEqual(second.spec, {
    selector: { app: 'web' },
    ports: [{ port: 80, targetPort: 8080 }],
    clusterIP: '10.96.0.20',
  })
  assert.deepEqual(
    second.metadata.labels,
    { team: 'net' },
    'the applied label app is dropped, the other kept',
  )
  const entries = second.metadata.managedFields as unknown as { manager: string; time: string }[]
  assert.deepEqual(
    entries.map((e) => [e.manager, e.time]),
    [['kubectl', 't2']],
  )
})

test('containers merge by name; other lists are replaced whole', () => {
  const deploy = (containers: unknown[], args: string[]): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { template: { spec: { containers, args } } },
  })
  const live = applyConfiguration(undefined, deploy([{ name: 'a', image: 'x' }], ['1', '2']), 'other', 't')
  const out = applyConfiguration(live, deploy([{ name: 'b', image: 'y' }], ['3']), 'me', 't')
  assert.deepEqual((out.spec as { template: { spec: unknown } }).template.spec, {
    containers: [
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y' },
    ],
    args: ['3'],
  })
})
