import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryStore } from './memory-store.ts'
import { IpAllocator } from './ip-allocator.ts'
import { NodePortAllocator, parsePortRange } from './node-port-allocator.ts'
import type { KubeObject } from './store.ts'
import { validateWorkload } from './workload-admission.ts'

const template = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
})

test('pods get defaults and Pending; containers need a name and an image', () => {
  const s = new MemoryStore()
  const p = s.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: template({}).spec,
  })
  const spec = p.spec as Record<string, unknown> & { containers: { ports: { protocol: string }[] }[] }
  assert.equal(spec.restartPolicy, 'Always')
  assert.equal(spec.dnsPolicy, 'ClusterFirst')
  assert.equal(spec.terminationGracePeriodSeconds, 30)
  assert.equal(spec.enableServiceLinks, true)
  assert.equal(spec.containers[0]!.ports[0]!.protocol, 'TCP')
  assert.equal((p.status as { phase: string }).phase, 'Pending')
  assert.throws(
    () =>
      s.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'q', namespace: 'default' },
        spec: { containers: [{}] },
      }),
    {
      message:
        'Pod "q" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value]',
    },
  )
})

test('deployments get apps/v1 defaults; the selector must match the template labels', () => {
  const s = new MemoryStore()
  const d = s.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) },
  } as KubeObject)
  assert.deepEqual(
    { ...(d.spec as object), template: undefined },
    {
      selector: { matchLabels: { app: 'web' } },
      template: undefined,
      replicas: 1,
      minReadySeconds: 0,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  )
  assert.throws(
    () =>
      s.create('deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bad', namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'x' } }, template: template({ app: 'web' }) },
      }),
    {
      message:
        'Deployment.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    },
  )
  const ds = s.create('daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'ds' } }, template: template({ app: 'ds' }) },
  })
  assert.equal((ds.spec as { updateStrategy: { type: string } }).updateStrategy.type, 'RollingUpdate')
  assert.equal((ds.spec as { replicas?: number }).replicas, undefined)
})

test('the IP allocator never hands out the network or broadcast address and reports a full range', () => {
  const a = new IpAllocator('192.168.7.0/30')
  const got = [a.allocateNext(), a.allocateNext()].sort()
  assert.deepEqual(got, ['192.168.7.1', '192.168.7.2'])
  assert.equal(a.allocateNext(), undefined)
  assert.equal(a.allocate('192.168.7.3'), 'out-of-range')
  assert.equal(a.allocate('nope'), 'invalid')
  a.release('192.168.7.1')
  assert.equal(a.allocateNext(), '192.168.7.1')
  assert.throws(() => new IpAllocator('10.0.0.0'), /service CIDR must be an IPv4 CIDR/)
  const dyn = new IpAllocator('10.96.0.0/16', () => 0)
  assert.equal(dyn.allocateNext(), '10.96.1.1', 'dynamic allocation starts above the static band')
})

test('the node port allocator stays in its range', () => {
  const a = new NodePortAllocator(parsePortRange('30000-30001'))
  assert.deepEqual([a.allocateNext(), a.allocateNext()].sort(), [30000, 30001])
  assert.equal(a.allocateNext(), undefined)
  assert.equal(a.allocate(29999), 'out-of-range')
  assert.equal(a.allocate(30000), 'allocated')
  assert.throws(() => parsePortRange('abc'), /node port range must look like 30000-32767/)
})

test('template and selector labels follow the label rules', () => {
  const errs = validateWorkload('Deployment', {
    selector: { matchLabels: { 'bad key': 'x' } },
    template: {
      metadata: { labels: { 'bad key': 'x', ok: 'v'.repeat(64) } },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    },
  })
  const fields = errs.map((e) => e.field)
  assert.ok(fields.includes('spec.selector.matchLabels'), JSON.stringify(errs))
  assert.equal(fields.filter((f) => f === 'spec.template.metadata.labels').length, 2, JSON.stringify(errs))
})
