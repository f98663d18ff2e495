import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'yaml'
import { kindNodeNames, renderKindConfig } from './config.ts'
import { DEFAULT_KIND_OPTIONS } from './options.ts'

test('svcnet proxy under test: kubeProxyMode none, kind v1alpha4, one control plane and two workers', () => {
  const cfg = parse(renderKindConfig(DEFAULT_KIND_OPTIONS)) as Record<string, unknown>
  assert.deepEqual(cfg, {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: { kubeProxyMode: 'none', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' },
    nodes: [{ role: 'control-plane' }, { role: 'worker' }, { role: 'worker' }],
  })
})

test('upstream proxy under test: kind keeps its own kube-proxy in iptables mode', () => {
  const cfg = parse(renderKindConfig({ ...DEFAULT_KIND_OPTIONS, proxy: 'upstream', workers: 1 })) as {
    networking: { kubeProxyMode: string }
    nodes: unknown[]
  }
  assert.equal(cfg.networking.kubeProxyMode, 'iptables')
  assert.equal(cfg.nodes.length, 2)
})

test('node names follow kind: -control-plane, -control-plane2, -worker, -worker2', () => {
  assert.deepEqual(kindNodeNames({ cluster: 'c', controlPlanes: 2, workers: 3 }), [
    'c-control-plane',
    'c-control-plane2',
    'c-worker',
    'c-worker2',
    'c-worker3',
  ])
})
