import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import type { Cluster } from '../../src/cluster/provider.ts'
import { run } from '../../src/exec/run.ts'
import { RunError } from '../../src/exec/run-error.ts'
import { attachCluster } from './attached-cluster.ts'
import { handleOf, readHandle, writeHandle } from './cluster-handle.ts'
import { serveCluster } from './cluster-server.ts'

// A cluster whose "outside client" and "nodes" are this machine: real commands, so the socket carries real results.
function localCluster(): Cluster {
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: false }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  })
  return {
    provider: 'lab',
    name: 'local',
    kubeConfig,
    nodes: [{ name: 'local-worker', ip: '172.18.0.3', role: 'worker' }],
    capabilities: new Set(['node-access']),
    runOutside: (argv, timeoutMs) => run(argv[0]!, argv.slice(1), { allowFailure: true, timeoutMs }),
    runOnNode: async (node, argv, timeoutMs) => {
      if (node !== 'local-worker') throw new Error(`no node "${node}"; nodes: local-worker`)
      return run(argv[0]!, argv.slice(1), { timeoutMs })
    },
    destroy: async () => {},
  }
}

test('a worker runs commands through the orchestrator and gets their results and errors as thrown there', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-attach-test-'))
  const cluster = localCluster()
  const socket = join(dir, 'cluster.sock')
  const stop = await serveCluster(cluster, socket)
  try {
    const handle = join(dir, 'cluster.json')
    writeHandle(handle, { cluster: handleOf(cluster, socket) })
    const h = readHandle(handle)
    assert.ok('cluster' in h)
    const attached = attachCluster(h.cluster)
    assert.equal(attached.kubeConfig.getCurrentUser()?.token, 'secret-token')
    assert.deepEqual([...attached.capabilities], ['node-access'])
    const out = await attached.runOutside(['sh', '-c', 'echo out; echo err >&2; exit 3'])
    assert.deepEqual([out.stdout, out.stderr, out.exitCode], ['out\n', 'err\n', 3])
    // Commands of several scenarios at once.
    const many = await Promise.all(
      [1, 2, 3].map((i) => attached.runOnNode('local-worker', ['echo', String(i)])),
    )
    assert.deepEqual(
      many.map((r) => r.stdout),
      ['1\n', '2\n', '3\n'],
    )
    const failed = await attached
      .runOnNode('local-worker', ['sh', '-c', 'echo no >&2; exit 4'])
      .catch((e) => e)
    assert.ok(failed instanceof RunError, String(failed))
    assert.equal(failed.exitCode, 4)
    assert.equal(failed.stderr, 'no\n')
    assert.match(failed.message, /^exited 4: sh -c 'echo no >&2; exit 4'\nno$/)
    await assert.rejects(
      attached.runOnNode('elsewhere', ['true']),
      /no node "elsewhere"; nodes: local-worker/,
    )
    await attached.destroy()
  } finally {
    await stop()
    await rm(dir, { recursive: true, force: true })
  }
})

test('a run whose cluster never started hands its workers the reason', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-attach-test-'))
  try {
    writeHandle(join(dir, 'h.json'), { error: 'lab up suite1 failed: no root' })
    assert.deepEqual(readHandle(join(dir, 'h.json')), { error: 'lab up suite1 failed: no root' })
    assert.throws(
      () => readHandle(join(dir, 'missing.json')),
      /reading the run's cluster handle .*missing\.json/,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
