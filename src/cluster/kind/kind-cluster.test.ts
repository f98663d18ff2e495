// Execution test: the kind provider against fake `kind` and `docker` executables on PATH that record their argv and
// answer as the real ones do, and an in-process API server (the lab's) standing in for the kind cluster's.
import { after, afterEach, before, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { MemoryStore } from '../lab/control-plane/apiserver/memory-store.ts'
import { run } from '../../exec/run.ts'
import { REPO_ROOT } from '../../paths.ts'
import { renderKindConfig } from './config.ts'
import { startFakeKindApi, writeFakeTools, type FakeKindApi } from './fake-kind.ts'
import { startKindCluster } from './kind-cluster.ts'
import { DEFAULT_KIND_OPTIONS, type KindOptions } from './options.ts'

let dir: string
let api: FakeKindApi
let store: MemoryStore
const savedPath = process.env.PATH

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcnet-kind-test-'))
  process.env.FAKE_DIR = dir
  process.env.PATH = `${dir}:${savedPath}`
})

beforeEach(async () => {
  await writeFakeTools(dir)
  api = await startFakeKindApi(dir, 'c1')
  store = api.store
})

afterEach(async () => {
  await api.close()
  delete process.env.FAKE_DOCKER_DOWN
  delete process.env.FAKE_LOAD_FAILS
})

after(async () => {
  process.env.PATH = savedPath
  await rm(dir, { recursive: true, force: true })
})

const options = (o: Partial<KindOptions> = {}): KindOptions => ({
  ...DEFAULT_KIND_OPTIONS,
  cluster: 'c1',
  ...o,
})
const start = (o: Partial<KindOptions> = {}) =>
  startKindCluster({
    options: options(o),
    outsideClient: 'none',
    teardownOnSignal: false,
    waits: { timeoutMs: 5000, intervalMs: 20 },
  })
const calls = async () => (await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n')

test('creates the cluster, loads the image, deploys svcnet, and deletes the cluster on destroy', async () => {
  const cluster = await start()
  const repo = REPO_ROOT
  assert.deepEqual(await calls(), [
    'kind version',
    'docker info --format {{.ServerVersion}}',
    'kind get clusters',
    'kind create cluster --name c1 --config -',
    `docker build --tag svcnet/svcnet:dev --file ${repo}/Dockerfile ${repo}`,
    'kind load docker-image svcnet/svcnet:dev --name c1',
    'kind get kubeconfig --name c1',
    'docker exec c1-control-plane curl -sS -m 2 -o /dev/null -w %{http_code} http://127.0.0.1:10256/healthz',
    'docker exec c1-worker curl -sS -m 2 -o /dev/null -w %{http_code} http://127.0.0.1:10256/healthz',
    'docker exec c1-worker2 curl -sS -m 2 -o /dev/null -w %{http_code} http://127.0.0.1:10256/healthz',
  ])
  assert.equal(await readFile(join(dir, 'config.yaml'), 'utf8'), renderKindConfig(options()))
  assert.equal(
    (parse(await readFile(join(dir, 'config.yaml'), 'utf8')) as { networking: { kubeProxyMode: string } })
      .networking.kubeProxyMode,
    'none',
  )
  // The manifests from deploy/ and the ConfigMap they read, as applied to the API server.
  const info = store.get('configmaps', 'kube-system', 'svcnet-cluster')
  assert.deepEqual(info?.data, {
    apiserver: 'https://172.18.0.2:6443',
    clusterCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    minSyncPeriod: '1s',
  })
  const ds = store.get('daemonsets', 'kube-system', 'kube-proxy') as unknown as {
    spec: { template: { spec: { containers: { image: string }[] } } }
  }
  assert.equal(ds.spec.template.spec.containers[0]!.image, 'svcnet/svcnet:dev')
  assert.ok(store.get('deployments', 'kube-system', 'svcnet-dns'))
  assert.equal(store.get('deployments', 'kube-system', 'coredns'), undefined, 'coredns is removed')
  // What the suite gets.
  assert.equal(cluster.provider, 'kind')
  assert.deepEqual(
    cluster.nodes.map((n) => [n.name, n.ip, n.role]),
    [
      ['c1-control-plane', '172.18.0.2', 'control-plane'],
      ['c1-worker', '172.18.0.3', 'worker'],
      ['c1-worker2', '172.18.0.4', 'worker'],
    ],
  )
  assert.deepEqual([...cluster.capabilities].sort(), ['node-access', 'two-workers'])
  const save = await cluster.runOnNode('c1-worker', ['iptables-save', '-t', 'nat'])
  assert.match(save.stdout, /:KUBE-SERVICES - \[0:0\]/)
  assert.equal((await calls()).at(-1), 'docker exec c1-worker iptables-save -t nat')
  await assert.rejects(
    cluster.runOnNode('worker9', ['true']),
    /no node "worker9" in kind cluster c1; nodes: c1-control-plane, c1-worker, c1-worker2/,
  )
  await assert.rejects(cluster.runOutside(['curl', 'http://172.18.0.3:30080/']), /without an outside client/)
  await cluster.destroy()
  assert.equal((await calls()).at(-1), 'kind delete cluster --name c1')
  assert.equal(
    (await readFile(join(dir, 'clusters'), 'utf8')).trim(),
    '',
    'kind get clusters no longer lists it',
  )
})

test('a name that is taken is refused before anything is created, pointing at --reuse', async () => {
  await writeFile(join(dir, 'clusters'), 'c1\n')
  await assert.rejects(start(), /a kind cluster named "c1" already exists: run on it with --reuse c1/)
  assert.ok(!(await calls()).some((c) => c.startsWith('kind create') || c.startsWith('kind delete')))
})

test('--reuse: no create, no delete; the existing cluster is deployed to and kept', async () => {
  await writeFile(join(dir, 'clusters'), 'c1\n')
  const cluster = await start({ reuse: true })
  await cluster.destroy()
  const c = await calls()
  assert.ok(!c.some((x) => x.startsWith('kind create') || x.startsWith('kind delete')), c.join('\n'))
  assert.ok(c.includes('kind load docker-image svcnet/svcnet:dev --name c1'))
  assert.equal((await readFile(join(dir, 'clusters'), 'utf8')).trim(), 'c1')
})

test('--reuse of a cluster that does not exist says which exist', async () => {
  await assert.rejects(
    start({ reuse: true, cluster: 'nope' }),
    /--reuse nope: no such kind cluster \(kind get clusters: none\)/,
  )
})

test("--proxy upstream --dns coredns: nothing built or applied, kind's own kube-proxy and CoreDNS are waited for", async () => {
  // kind makes its own kube-proxy DaemonSet when kubeProxyMode is iptables.
  store.create('daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: { containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.33.1' }] },
      },
    },
  })
  const cluster = await start({ proxy: 'upstream', dns: 'coredns' })
  const ds = store.get('daemonsets', 'kube-system', 'kube-proxy') as unknown as {
    spec: { template: { spec: { containers: { image: string }[] } } }
  }
  assert.equal(ds.spec.template.spec.containers[0]!.image, 'registry.k8s.io/kube-proxy:v1.33.1')
  const c = await calls()
  assert.ok(!c.some((x) => x.startsWith('docker build') || x.startsWith('kind load')), c.join('\n'))
  assert.match(await readFile(join(dir, 'config.yaml'), 'utf8'), /kubeProxyMode: iptables/)
  assert.equal(store.get('configmaps', 'kube-system', 'svcnet-cluster'), undefined)
  assert.ok(store.get('deployments', 'kube-system', 'coredns'), 'coredns stays')
  await cluster.destroy()
})

test('a failure after create deletes the cluster and says which step failed', async () => {
  process.env.FAKE_LOAD_FAILS = '1'
  await assert.rejects(
    start(),
    /kind provider \(cluster c1\): exited 1: kind load docker-image svcnet\/svcnet:dev --name c1\nERROR: image/,
  )
  assert.equal((await calls()).at(-1), 'kind delete cluster --name c1')
})

test('Docker not running: the real docker message and how to start it', async () => {
  process.env.FAKE_DOCKER_DOWN = '1'
  await assert.rejects(start(), (err: Error) => {
    assert.match(
      err.message,
      /Docker daemon is not reachable \(`docker info`: Cannot connect to the Docker daemon/,
    )
    assert.match(err.message, /systemctl start docker/)
    return true
  })
})

test('kind not installed: install instructions', async () => {
  const onlyDocker = await mkdtemp(join(tmpdir(), 'svcnet-kind-test-path-'))
  await writeFakeTools(onlyDocker, ['docker'])
  process.env.PATH = onlyDocker
  try {
    await assert.rejects(
      start(),
      /needs `kind`, which is not on PATH: install kind .*kind\.sigs\.k8s\.io\/docs\/user\/quick-start/,
    )
  } finally {
    process.env.PATH = `${dir}:${savedPath}`
    await rm(onlyDocker, { recursive: true, force: true })
  }
})

test('Ctrl-C while kind creates the cluster: the cluster is deleted and the process exits 130', async () => {
  // A child process, since the provider's SIGINT handler ends the process it runs in.
  const script = join(dir, 'interrupted.ts')
  const here = import.meta.dirname
  await writeFile(
    script,
    [
      `import { startFakeKindApi } from '${join(here, 'fake-kind.ts')}'`,
      `import { startKindCluster } from '${join(here, 'kind-cluster.ts')}'`,
      `import { DEFAULT_KIND_OPTIONS } from '${join(here, 'options.ts')}'`,
      `await startFakeKindApi(process.env.FAKE_DIR, 'c2')`,
      `await startKindCluster({ options: { ...DEFAULT_KIND_OPTIONS, cluster: 'c2' }, outsideClient: 'none', log: (m) => console.error(m) })`,
      `console.error('not interrupted')`,
      `process.exit(3)`,
    ].join('\n'),
  )
  const r = await run(process.execPath, [script], {
    allowFailure: true,
    env: { FAKE_CREATE_INTERRUPTS: '1' },
    timeoutMs: 20_000,
  })
  assert.equal(r.exitCode, 130, r.stderr)
  assert.match(r.stderr, /SIGINT: removing the kind cluster before exiting/)
  const c = await calls()
  assert.ok(c.includes('kind create cluster --name c2 --config -'), c.join('\n'))
  assert.equal(c.at(-1), 'kind delete cluster --name c2')
  assert.equal((await readFile(join(dir, 'clusters'), 'utf8')).trim(), '')
})
