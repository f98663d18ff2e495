// Execution test: the existing provider against an in-process API server (the lab's, standing in for "a cluster the
// user runs") reached through KUBECONFIG, with a fake `kubectl` on PATH that records its argv.
import { after, afterEach, before, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryStore } from '../lab/control-plane/apiserver/memory-store.ts'
import { startApiServer, type ApiServer } from '../lab/control-plane/apiserver/server.ts'
import { run } from '../../exec/run.ts'
import { labContextName, renderKubeconfig } from '../../kube/kubeconfig.ts'
import { startExistingCluster } from './existing-cluster.ts'
import type { ExistingOptions } from './options.ts'

const FAKE_KUBECTL = `#!/bin/sh
echo "kubectl $*" >> "$FAKE_DIR/calls"
printf '*nat\\n:KUBE-SERVICES - [0:0]\\nCOMMIT\\n'
`

let dir: string
let server: ApiServer
let store: MemoryStore
let kubelet: NodeJS.Timeout
const saved = { PATH: process.env.PATH, KUBECONFIG: process.env.KUBECONFIG }
const context = labContextName('prod')

// Plays the kubelets: every pod in a node-shell namespace becomes Running and Ready.
function actAsKubelets(): void {
  for (const pod of store.list('pods').items) {
    if (!pod.metadata.namespace?.startsWith('svcnet-node-shell-') || pod.status) continue
    store.update(
      'pods',
      { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      { subresource: 'status' },
    )
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcnet-existing-test-'))
  await writeFile(join(dir, 'kubectl'), FAKE_KUBECTL)
  await chmod(join(dir, 'kubectl'), 0o755)
  process.env.FAKE_DIR = dir
  process.env.PATH = `${dir}:${saved.PATH}`
})

beforeEach(async () => {
  store = new MemoryStore({ admission: {} })
  const nodes = [
    ['prod-cp', '10.0.0.2', true],
    ['prod-a', '10.0.0.3', false],
  ] as const
  for (const [name, ip, cp] of nodes) {
    store.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
      spec: cp ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: ip }],
      },
    })
  }
  server = await startApiServer({ store, port: 0, log: () => {} })
  await writeFile(join(dir, 'kubeconfig'), renderKubeconfig('prod', server.url))
  await writeFile(join(dir, 'calls'), '')
  process.env.KUBECONFIG = join(dir, 'kubeconfig')
  kubelet = setInterval(actAsKubelets, 10)
})

afterEach(async () => {
  clearInterval(kubelet)
  await server.close()
})

after(async () => {
  process.env.PATH = saved.PATH
  if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG
  else process.env.KUBECONFIG = saved.KUBECONFIG
  await rm(dir, { recursive: true, force: true })
})

const options = (o: Partial<ExistingOptions> = {}): ExistingOptions => ({
  allowPrivileged: false,
  outside: 'none',
  loadBalancer: false,
  runId: 'r1',
  timeoutMs: 5000,
  ...o,
})

test('without --allow-privileged nothing is created; node access is missing and says how to get it', async () => {
  const lines: string[] = []
  const cluster = await startExistingCluster(options({ log: (m) => lines.push(m) }))
  assert.equal(cluster.provider, 'existing')
  assert.equal(cluster.name, context)
  assert.deepEqual(
    cluster.nodes.map((n) => [n.name, n.ip, n.role]),
    [
      ['prod-a', '10.0.0.3', 'worker'],
      ['prod-cp', '10.0.0.2', 'control-plane'],
    ],
  )
  // One schedulable node (the control plane is tainted): no two-workers.
  assert.deepEqual([...cluster.capabilities], [])
  assert.ok(
    lines.some((l) => /without two-workers: 1 schedulable node/.test(l)),
    lines.join('\n'),
  )
  assert.equal(store.list('namespaces').items.filter((n) => n.metadata.name?.startsWith('svcnet-')).length, 0)
  await assert.rejects(cluster.runOnNode('prod-a', ['iptables-save']), /start with --allow-privileged/)
  await assert.rejects(cluster.runOutside(['curl', 'http://10.0.0.3:30080/']), /no outside client/)
  await cluster.destroy()
})

test('--allow-privileged: a shell pod per node, node commands through kubectl exec + nsenter, removed on destroy', async () => {
  const cluster = await startExistingCluster(options({ allowPrivileged: true }))
  assert.ok(cluster.capabilities.has('node-access'))
  const pods = store.list('pods').items.filter((p) => p.metadata.namespace === 'svcnet-node-shell-r1')
  assert.deepEqual(pods.map((p) => (p.spec as { nodeName: string }).nodeName).sort(), ['prod-a', 'prod-cp'])
  const r = await cluster.runOnNode('prod-cp', ['iptables-save'])
  assert.match(r.stdout, /KUBE-SERVICES/)
  const call = (await readFile(join(dir, 'calls'), 'utf8')).trim()
  const shell = pods.find((p) => (p.spec as { nodeName: string }).nodeName === 'prod-cp')!.metadata.name
  assert.equal(
    call,
    `kubectl --context ${context} exec --namespace svcnet-node-shell-r1 ${shell} -- nsenter --target 1 --mount --uts --ipc --net --pid -- iptables-save`,
  )
  assert.ok(store.get('namespaces', undefined, 'svcnet-node-shell-r1'), 'the namespace exists until destroy')
  await cluster.destroy()
  const ns = store.get('namespaces', undefined, 'svcnet-node-shell-r1')
  assert.ok(!ns || ns.metadata.deletionTimestamp, 'the node-shell namespace is gone or terminating')
  await cluster.destroy() // a second destroy does nothing
})

test('--outside host: this machine runs the outside commands (exit codes returned, not thrown)', async () => {
  const cluster = await startExistingCluster(options({ outside: 'host' }))
  assert.ok(cluster.capabilities.has('outside-client'))
  const r = await cluster.runOutside(['sh', '-c', 'exit 7'])
  assert.equal(r.exitCode, 7)
  await cluster.destroy()
})

test('an unreachable API server is reported with the context and server', async () => {
  await writeFile(join(dir, 'kubeconfig'), renderKubeconfig('prod', 'http://127.0.0.1:1'))
  await assert.rejects(
    startExistingCluster(options()),
    /cannot list nodes in context svcnet-prod \(http:\/\/127\.0\.0\.1:1\)/,
  )
})

test('no kubeconfig at all: says so instead of trying localhost:8080', async () => {
  const home = process.env.HOME
  const empty = await mkdtemp(join(tmpdir(), 'svcnet-existing-home-'))
  delete process.env.KUBECONFIG
  process.env.HOME = empty
  try {
    await assert.rejects(startExistingCluster(options()), /current kubeconfig context, and there is none/)
  } finally {
    process.env.HOME = home
    process.env.KUBECONFIG = join(dir, 'kubeconfig')
    await rm(empty, { recursive: true, force: true })
  }
})

test('Ctrl-C after the node shells exist: their namespace is deleted and the process exits 130', async () => {
  // A child process (the handler ends the process it runs in), on this test's API server through KUBECONFIG.
  const script = join(dir, 'interrupted.ts')
  await writeFile(
    script,
    [
      `import { startExistingCluster } from '${join(import.meta.dirname, 'existing-cluster.ts')}'`,
      `await startExistingCluster({ allowPrivileged: true, outside: 'none', loadBalancer: false, runId: 'r7', timeoutMs: 5000, log: (m) => console.error(m) })`,
      `process.kill(process.pid, 'SIGINT')`,
      `setInterval(() => {}, 1000)`,
    ].join('\n'),
  )
  const r = await run(process.execPath, [script], { allowFailure: true, timeoutMs: 20_000 })
  assert.equal(r.exitCode, 130, r.stderr)
  assert.match(r.stderr, /SIGINT: removing namespace svcnet-node-shell-r7 before exiting/)
  // Logged only when the DELETE succeeded, i.e. the namespace existed.
  assert.match(r.stderr, /deleted namespace svcnet-node-shell-r7/)
  const ns = store.get('namespaces', undefined, 'svcnet-node-shell-r7')
  assert.ok(!ns || ns.metadata.deletionTimestamp, 'the node-shell namespace is gone or terminating')
})
