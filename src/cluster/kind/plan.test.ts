import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DEPLOY_DIR, REPO_ROOT } from '../../paths.ts'
import { formatKindPlan, nodeExecArgv, planKind } from './plan.ts'
import { DEFAULT_KIND_OPTIONS, type KindOptions } from './options.ts'

const opts = (o: Partial<KindOptions> = {}): KindOptions => ({ ...DEFAULT_KIND_OPTIONS, cluster: 'c1', ...o })

test('a new cluster: create from the config on stdin, build and load the image, apply proxy and DNS, delete on exit', () => {
  const p = planKind(opts(), '/repo')
  assert.deepEqual(p.create?.argv, ['kind', 'create', 'cluster', '--name', 'c1', '--config', '-'])
  assert.equal(p.create?.stdin, p.config)
  assert.match(p.config, /kubeProxyMode: none/)
  assert.deepEqual(p.buildImage?.argv, [
    'docker',
    'build',
    '--tag',
    'svcnet/svcnet:dev',
    '--file',
    '/repo/Dockerfile',
    '/repo',
  ])
  assert.deepEqual(p.loadImage?.argv, ['kind', 'load', 'docker-image', 'svcnet/svcnet:dev', '--name', 'c1'])
  assert.deepEqual(p.kubeconfig.argv, ['kind', 'get', 'kubeconfig', '--name', 'c1'])
  assert.deepEqual(p.manifests, ['/repo/deploy/kube-proxy.yaml', '/repo/deploy/dns.yaml'])
  assert.equal(p.deleteCoreDns, true)
  assert.equal(p.waitFor.dnsDeployment, 'kube-system/svcnet-dns')
  assert.deepEqual(p.teardown?.argv, ['kind', 'delete', 'cluster', '--name', 'c1'])
  assert.deepEqual(p.nodes, ['c1-control-plane', 'c1-worker', 'c1-worker2'])
})

test('a node image is passed to kind create', () => {
  const p = planKind(opts({ nodeImage: 'kindest/node:v1.33.1' }), '/repo')
  assert.deepEqual(p.create?.argv.slice(-2), ['--image', 'kindest/node:v1.33.1'])
})

test('upstream proxy and CoreDNS: nothing of svcnet is built, loaded or applied; coredns stays', () => {
  const p = planKind(opts({ proxy: 'upstream', dns: 'coredns' }), '/repo')
  assert.equal(p.buildImage, undefined)
  assert.equal(p.loadImage, undefined)
  assert.deepEqual(p.manifests, [])
  assert.equal(p.deleteCoreDns, false)
  assert.equal(p.waitFor.proxyDaemonSet, 'kube-system/kube-proxy')
  assert.equal(p.waitFor.dnsDeployment, 'kube-system/coredns')
  assert.match(p.config, /kubeProxyMode: iptables/)
})

test('svcnet DNS with the upstream proxy: the image is still built, only dns.yaml is applied', () => {
  const p = planKind(opts({ proxy: 'upstream' }), '/repo')
  assert.ok(p.buildImage)
  assert.deepEqual(p.manifests, ['/repo/deploy/dns.yaml'])
})

test('--reuse: no create, no teardown; --keep-cluster: create, no teardown', () => {
  const reused = planKind(opts({ reuse: true }), '/repo')
  assert.equal(reused.create, undefined)
  assert.equal(reused.teardown, undefined)
  const kept = planKind(opts({ keepCluster: true }), '/repo')
  assert.ok(kept.create)
  assert.equal(kept.teardown, undefined)
  assert.match(formatKindPlan(kept), /at exit: keep kind cluster c1/)
})

test('the printed plan lists every command with its exact argv, in order, and the config', () => {
  const text = formatKindPlan(planKind(opts(), '/repo'))
  const order = [
    'kind version',
    "docker info --format '{{.ServerVersion}}'",
    'kind get clusters',
    'kind create cluster --name c1 --config - <<config',
    'docker build --tag svcnet/svcnet:dev',
    'kind load docker-image svcnet/svcnet:dev --name c1',
    'kind get kubeconfig --name c1',
    'apply /repo/deploy/kube-proxy.yaml',
    'delete Deployment kube-system/coredns',
    'kind delete cluster --name c1',
    'kind config:',
  ]
  let at = -1
  for (const s of order) {
    const i = text.indexOf(s)
    assert.ok(i > at, `"${s}" missing or out of order in:\n${text}`)
    at = i
  }
})

test('node commands run through docker exec on the node container', () => {
  assert.deepEqual(nodeExecArgv('c1-worker', ['iptables-save', '-t', 'nat']), [
    'docker',
    'exec',
    'c1-worker',
    'iptables-save',
    '-t',
    'nat',
  ])
})

test('every manifest in deploy/ is applied on kind, from the same files the lab applies', () => {
  const files = readdirSync(DEPLOY_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(DEPLOY_DIR, f))
    .sort()
  assert.deepEqual([...planKind(opts(), REPO_ROOT).manifests].sort(), files)
})
