import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { MemoryStore } from '../control-plane/apiserver/memory-store.ts'
import { StatusError } from '../control-plane/apiserver/status-error.ts'
import type { KubeObject } from '../control-plane/apiserver/store.ts'
import { waitFor } from '../../../wait/wait-for.ts'
import { planLab } from '../network/plan.ts'
import { LabKubelet } from './lab-kubelet.ts'
import type { PodNetworkDriver } from './pod-network-driver.ts'

// A network driver that records calls instead of creating namespaces (these tests start no processes).
function fakeNetwork(): PodNetworkDriver & { up: string[]; down: string[] } {
  const up: string[] = []
  const down: string[] = []
  return {
    up,
    down,
    setUp: async (_node, pod) => {
      up.push(`${pod.uid}=${pod.ip}`)
      return { netns: `svcnet-test-pod-${pod.uid.slice(0, 8)}` }
    },
    tearDown: async (uid) => {
      down.push(uid)
    },
  }
}

const pod = (name: string, image: string, nodeName: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'main', image }] },
})

test('kubelet registers nodes, holds an unknown image in ErrImagePull with an event, and finishes its deletion', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-kubelet-'))
  const topology = planLab({ cluster: 'kt', workers: 1 }, 'abc123')
  const store = new MemoryStore()
  const network = fakeNetwork()
  const kubelet = new LabKubelet({
    store,
    topology,
    nodeBinary: process.execPath,
    cliEntry: '/nonexistent/main.ts',
    logDir: join(dir, 'logs'),
    etcNetnsDir: join(dir, 'etc-netns'),
    resolvConf: join(dir, 'no-such-resolv.conf'),
    network,
    log: (l) => assert.fail(`kubelet logged a problem: ${l}`),
  })
  try {
    await kubelet.start()
    const nodes = store.list('nodes').items.map((n) => n.metadata.name)
    assert.deepEqual(nodes, ['kt-control-plane', 'kt-worker'])
    const worker = store.get('nodes', undefined, 'kt-worker')!
    assert.equal(
      (worker.status as { conditions: { type: string; status: string }[] }).conditions.at(-1)?.status,
      'True',
    )
    assert.equal((worker.spec as { podCIDR: string }).podCIDR, '10.244.1.0/24')

    store.create('pods', pod('mystery', 'quay.io/x/unknown:1', 'kt-worker'))
    const status = await waitFor({
      what: 'pod mystery to report ErrImagePull',
      timeoutMs: 5000,
      intervalMs: 20,
      check: async () => {
        const s = store.get('pods', 'default', 'mystery')?.status as
          | {
              phase: string
              podIP?: string
              containerStatuses?: { state: { waiting?: { reason: string; message: string } } }[]
            }
          | undefined
        const reason = s?.containerStatuses?.[0]?.state.waiting?.reason
        return reason === 'ErrImagePull' && s?.podIP
          ? { done: true, value: s }
          : { done: false, seen: JSON.stringify(s) }
      },
    })
    assert.equal(status.phase, 'Pending')
    assert.equal(status.podIP, '10.244.1.2')
    assert.match(status.containerStatuses![0]!.state.waiting!.message, /known images: .*hello-app/)
    const events = store.list('events', { namespace: 'default' }).items as unknown as {
      reason: string
      message: string
      type: string
    }[]
    assert.ok(
      events.some((e) => e.reason === 'Failed' && e.type === 'Warning' && /known images/.test(e.message)),
      JSON.stringify(events),
    )

    // The pod's resolv.conf and hosts are written for its namespace.
    const netns = `svcnet-test-pod-${store.get('pods', 'default', 'mystery')!.metadata.uid!.slice(0, 8)}`
    assert.equal(
      await readFile(join(dir, 'etc-netns', netns, 'resolv.conf'), 'utf8'),
      'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    )
    assert.match(
      await readFile(join(dir, 'etc-netns', netns, 'hosts'), 'utf8'),
      /\n10\.244\.1\.2\tmystery\n$/,
    )

    // Logs: the container never started (400); an unknown pod is 404.
    await assert.rejects(
      kubelet.read('default', 'mystery', undefined, {}),
      (e: unknown) =>
        e instanceof StatusError && e.code === 400 && /waiting to start: ErrImagePull/.test(e.message),
    )
    await assert.rejects(
      kubelet.read('default', 'nope', undefined, {}),
      (e: unknown) => e instanceof StatusError && e.code === 404,
    )

    // Graceful deletion: the kubelet tears the network down and removes the pod.
    store.delete('pods', 'default', 'mystery')
    await waitFor({
      what: 'pod mystery to be gone from the store',
      timeoutMs: 5000,
      intervalMs: 20,
      check: async () =>
        store.get('pods', 'default', 'mystery')
          ? { done: false, seen: 'still there' }
          : { done: true, value: true },
    })
    assert.equal(network.down.length, 1)
    // A pod on a node of another lab is not ours.
    store.create('pods', pod('elsewhere', 'nginx', 'other-node'))
    assert.equal(network.up.length, 1)
  } finally {
    await kubelet.stop()
    await rm(dir, { recursive: true, force: true })
  }
})
