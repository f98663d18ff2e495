// The lab kubelet on a real lab network: a hello-app pod gets an IP, becomes Ready, answers with its hostname, and goes away cleanly.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { MemoryStore } from '../control-plane/apiserver/memory-store.ts'
import type { KubeObject } from '../control-plane/apiserver/store.ts'
import { run } from '../../../exec/run.ts'
import { waitFor } from '../../../wait/wait-for.ts'
import { netnsExists, pathExists } from '../network/netns.ts'
import { createLabNetwork } from '../network/network.ts'
import { newRunId, planLab } from '../network/plan.ts'
import { podNetnsName } from '../network/pod-network.ts'
import { destroyLab } from '../teardown.ts'
import { LabKubelet, type LabKubeletOptions } from './lab-kubelet.ts'
import type { LabNode, LabTopology } from '../network/topology.ts'
import { podExecCommand } from './pod-exec-command.ts'

const isRoot = process.getuid?.() === 0
const CLI = fileURLToPath(new URL('../../../cli/main.ts', import.meta.url))

interface PodStatus {
  phase?: string
  podIP?: string
  conditions?: { type: string; status: string }[]
  containerStatuses?: { ready: boolean; restartCount: number; state: Record<string, unknown> }[]
}

// Waits until a pod is Ready with an IP.
async function waitReady(store: MemoryStore, name: string, ns = 'default'): Promise<PodStatus> {
  return waitFor({
    what: `pod ${ns}/${name} to be Ready with an IP`,
    timeoutMs: 30_000,
    check: async () => {
      const s = store.get('pods', ns, name)?.status as PodStatus | undefined
      const ready = s?.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
      return ready && s?.podIP ? { done: true, value: s } : { done: false, seen: JSON.stringify(s) }
    },
  })
}

/** What a test gets from withKubeletLab. */
interface KubeletLab {
  topology: LabTopology
  worker: LabNode
  store: MemoryStore
  kubelet: LabKubelet
  dir: string
  /** What the kubelet logged so far (it logs only problems). */
  problems: string[]
}

// Builds a 1-worker lab network with a MemoryStore and a started LabKubelet, runs `body`, then stops the
// kubelet, runs `afterStop` (before the lab goes), destroys the lab and fails if the kubelet logged problems.
async function withKubeletLab<T>(
  extra: Partial<LabKubeletOptions>,
  body: (lab: KubeletLab) => Promise<void>,
  afterStop?: (topology: LabTopology) => Promise<T>,
): Promise<T | undefined> {
  const cluster = `kl${Math.random().toString(36).slice(2, 6)}`
  const topology = planLab({ cluster, workers: 1 }, newRunId())
  const worker = topology.nodes.find((n) => n.role === 'worker')!
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-kubelet-root-'))
  const store = new MemoryStore()
  const problems: string[] = []
  const kubelet = new LabKubelet({
    store,
    topology,
    nodeBinary: process.execPath,
    cliEntry: CLI,
    logDir: dir,
    log: (l) => problems.push(l),
    ...extra,
  })
  let after: T | undefined
  try {
    await createLabNetwork(topology)
    await kubelet.start()
    await body({ topology, worker, store, kubelet, dir, problems })
  } finally {
    await kubelet.stop().catch((err: Error) => problems.push(`kubelet stop: ${err.message}`))
    try {
      after = await afterStop?.(topology)
    } finally {
      await destroyLab(cluster, topology.runId)
      await rm(dir, { recursive: true, force: true })
    }
  }
  assert.deepEqual(problems, [])
  return after
}

test(
  'lab kubelet runs hello-app and nginx pods in their own namespaces, serves logs and exec, and deletes them',
  { skip: !isRoot && 'needs root (network namespaces)', timeout: 120_000 },
  async () => {
    await withKubeletLab({}, async ({ topology, worker, store, kubelet, dir, problems }) => {
      store.create('services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default' },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
      })
      const hello: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'hello-1', namespace: 'default' },
        spec: {
          nodeName: worker.name,
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'hello',
              image: 'gcr.io/google-samples/hello-app:2.0',
              env: [
                { name: 'GREETING', value: 'on $(MY_NODE)' },
                { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'WHERE', value: 'on $(MY_NODE)' },
              ],
            },
          ],
        },
      }
      const uid = store.create('pods', hello).metadata.uid!
      const s = await waitReady(store, 'hello-1')
      assert.equal(s.phase, 'Running')
      assert.match(s.podIP!, /^10\.244\.1\.\d+$/)
      const res = await run('curl', ['-sS', '--max-time', '5', `http://${s.podIP}:8080/hi`], {
        netns: worker.netns,
      })
      assert.equal(res.stdout, 'Hello, world!\nVersion: 2.0.0\nHostname: hello-1\n')
      assert.match(await kubelet.read('default', 'hello-1', undefined, {}), /Serving request: \/hi/)
      assert.match(
        await kubelet.read('default', 'hello-1', 'hello', { tailLines: 1 }),
        /^\S+ \S+ Serving request: \/hi\n$/,
      )

      // exec: the pod's hostname, resolv.conf and Service env vars.
      const execIn = async (argv: string[]) => {
        const a = kubelet.execArgv('default', 'hello-1', argv)
        return (await run(a[0]!, a.slice(1))).stdout
      }
      assert.equal((await execIn(['hostname'])).trim(), 'hello-1')
      assert.match(
        await execIn(['cat', '/etc/resolv.conf']),
        /^nameserver 10\.96\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/,
      )
      const env = await execIn(['env'])
      assert.match(env, /^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m)
      assert.match(env, /^KUBERNETES_PORT_443_TCP_ADDR=10\.96\.0\.1$/m)
      assert.match(env, /^HOSTNAME=hello-1$/m)
      // $(VAR) expands only variables defined earlier, as kubelet does.
      assert.match(env, /^GREETING=on \$\(MY_NODE\)$/m)
      assert.match(env, new RegExp(`^WHERE=on ${worker.name}$`, 'm'))
      // The same from another process's point of view: pid file, /proc environ, pod namespace.
      const fromFiles = await podExecCommand(topology, dir, store.get('pods', 'default', 'hello-1')!, [
        'sh',
        '-c',
        'hostname; echo $KUBERNETES_SERVICE_PORT',
      ])
      assert.equal((await run(fromFiles[0]!, fromFiles.slice(1))).stdout, 'hello-1\n443\n')

      // nginx on the same node; its access log shows the client.
      store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'default' },
        spec: { nodeName: worker.name, containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      })
      const web = await waitReady(store, 'web')
      const page = await run('curl', ['-sS', '-i', '--max-time', '5', `http://${web.podIP}/`], {
        netns: worker.netns,
      })
      assert.match(page.stdout, /Server: nginx\/1\.27/)
      const accessLine = new RegExp(
        `^${worker.podGateway.replaceAll('.', '\\.')} - - \\[.*"GET / HTTP/1\\.1" 200 615 "-" "curl/`,
        'm',
      )
      await waitFor({
        what: 'the nginx access log line in the pod log',
        timeoutMs: 5000,
        check: async () => {
          const log = await kubelet.read('default', 'web', undefined, {})
          return accessLine.test(log) ? { done: true, value: log } : { done: false, seen: log }
        },
      })

      // Graceful delete: the pod leaves the store and its namespace is gone.
      store.delete('pods', 'default', 'hello-1')
      await waitFor({
        what: 'pod hello-1 to be deleted',
        timeoutMs: 15_000,
        check: async () =>
          store.get('pods', 'default', 'hello-1')
            ? { done: false, seen: 'still in the store' }
            : { done: true, value: true },
      })
      const netns = podNetnsName(topology, uid)
      assert.equal(await netnsExists(netns), false, `${netns} left behind`)
      assert.equal(await pathExists(`/etc/netns/${netns}`), false, `/etc/netns/${netns} left behind`)
      assert.match(
        await readFile(join(dir, `default_hello-1_${uid}`, 'hello.log'), 'utf8'),
        /Server listening on port 8080/,
      )
      assert.deepEqual(problems, [])
    })
  },
)

test(
  'lab kubelet: readiness probes, crash-loop restarts, hostNetwork pods, and stop() cleaning up',
  { skip: !isRoot && 'needs root (network namespaces)', timeout: 120_000 },
  async () => {
    // stop() must remove every pod namespace it created: read them after stop, before the lab goes.
    const podNamespacesAfterStop = async (topology: LabTopology) =>
      (await run('ip', ['netns', 'list'])).stdout
        .split('\n')
        .filter((l) => l.startsWith(`${topology.prefix}pod-`))
    const left = await withKubeletLab(
      { backoff: { initialMs: 300, maxMs: 1000 } },
      async ({ worker, store, kubelet }) => {
        const podOn = (name: string, spec: Record<string, unknown>): KubeObject => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'default' },
          spec: { nodeName: worker.name, terminationGracePeriodSeconds: 2, ...spec },
        })
        store.create(
          'pods',
          podOn('netexec', {
            containers: [
              {
                name: 'agnhost',
                image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
                args: ['netexec', '--http-port=8080', '--udp-port=8081'],
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
              },
            ],
          }),
        )
        store.create(
          'pods',
          podOn('tools', {
            containers: [{ name: 'tools', image: 'busybox:1.36', command: ['sleep', '3600'] }],
          }),
        )
        const ne = await waitReady(store, 'netexec')
        await waitReady(store, 'tools')
        // From the tools pod: curl netexec over the pod network.
        const a = kubelet.execArgv('default', 'tools', [
          'curl',
          '-sS',
          '--max-time',
          '5',
          `http://${ne.podIP}:8080/hostname`,
        ])
        assert.equal((await run(a[0]!, a.slice(1))).stdout, 'netexec')

        // A container that exits is restarted with back-off; the pod is not ready meanwhile.
        store.create(
          'pods',
          podOn('crasher', {
            containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo boom; exit 3'] }],
          }),
        )
        const crash = await waitFor({
          what: 'pod crasher to be restarted twice',
          timeoutMs: 20_000,
          check: async () => {
            const s = store.get('pods', 'default', 'crasher')?.status as PodStatus | undefined
            const c = s?.containerStatuses?.[0]
            return c && c.restartCount >= 2
              ? { done: true, value: s! }
              : { done: false, seen: JSON.stringify(c) }
          },
        })
        assert.equal(crash.conditions?.find((c) => c.type === 'Ready')?.status, 'False')
        assert.equal(
          (
            (crash as Record<string, unknown>).containerStatuses as {
              lastState: { terminated?: { exitCode: number } }
            }[]
          )[0]!.lastState.terminated?.exitCode,
          3,
        )
        assert.match(await kubelet.read('default', 'crasher', undefined, {}), /^boom\n$/)

        // svcnet's own image: $(VAR) from a ConfigMap that appears after the pod; the container starts once it exists.
        store.create(
          'pods',
          podOn('svcnet', {
            containers: [
              {
                name: 's',
                image: 'svcnet/svcnet:dev',
                command: ['svcnet', 'workload', 'hello-app'],
                args: ['--port=$(LISTEN_PORT)'],
                env: [
                  {
                    name: 'LISTEN_PORT',
                    valueFrom: { configMapKeyRef: { name: 'svcnet-test', key: 'port' } },
                  },
                ],
              },
            ],
          }),
        )
        await waitFor({
          what: 'pod svcnet to wait with CreateContainerConfigError',
          timeoutMs: 10_000,
          check: async () => {
            const s = store.get('pods', 'default', 'svcnet')?.status as PodStatus | undefined
            const waiting = s?.containerStatuses?.[0]?.state.waiting as { reason?: string } | undefined
            return waiting?.reason === 'CreateContainerConfigError'
              ? { done: true, value: true }
              : { done: false, seen: JSON.stringify(s) }
          },
        })
        store.create('configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'svcnet-test', namespace: 'default' },
          data: { port: '9090' },
        })
        const sv = await waitReady(store, 'svcnet')
        const viaCm = await waitFor({
          what: 'svcnet pod to answer on port 9090',
          timeoutMs: 10_000,
          check: async () => {
            const r = await run('curl', ['-sS', '--max-time', '2', `http://${sv.podIP}:9090/`], {
              netns: worker.netns,
              allowFailure: true,
            })
            return r.exitCode === 0 ? { done: true, value: r.stdout } : { done: false, seen: r.stderr }
          },
        })
        assert.match(viaCm, /Hostname: svcnet\n$/)

        // hostNetwork: the node's address and namespace, the node name as hostname.
        store.create(
          'pods',
          podOn('hostnet', {
            hostNetwork: true,
            containers: [
              {
                name: 'h',
                image: 'gcr.io/google-samples/hello-app:1.0',
                env: [{ name: 'PORT', value: '18080' }],
              },
            ],
          }),
        )
        const hn = await waitReady(store, 'hostnet')
        assert.equal(hn.podIP, worker.ip)
        const res = await run('curl', ['-sS', '--max-time', '5', `http://${worker.ip}:18080/`], {
          netns: worker.netns,
        })
        assert.match(res.stdout, new RegExp(`Hostname: ${worker.name}\n$`))
      },
      podNamespacesAfterStop,
    )
    assert.deepEqual(left, [], 'pod namespaces left after kubelet.stop()')
  },
)
