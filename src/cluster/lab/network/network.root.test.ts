// The lab network for real (root): nodes, outside client and pods in namespaces; then nothing left behind.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { run, start, type StartedProcess } from '../../../exec/run.ts'
import { waitFor } from '../../../wait/wait-for.ts'
import { newRunId, planActions, planLab } from './plan.ts'
import { createLabNetwork } from './network.ts'
import { podNetnsName, setUpPodNetwork, tearDownPodNetwork } from './pod-network.ts'
import { podIpFor } from './pod-ipam.ts'
import { leftovers, listLabs } from '../discovery.ts'
import { destroyLab } from '../teardown.ts'
import { listNetns } from './netns.ts'
import type { LabTopology } from './topology.ts'
import { createServer } from 'node:http'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const skip = process.getuid?.() !== 0 && 'needs root (network namespaces)'

// An HTTP server answering "<name> <client address>", run by this project's Node inside a namespace.
const SERVER = `const [host, port, name] = process.argv.slice(1);
require('node:http').createServer((q, s) => s.end(name + ' ' + q.socket.remoteAddress)).listen(+port, host)`

// The host namespace's addresses, routes and links, with lifetimes (which tick) removed.
async function hostState(): Promise<{ addrs: string[]; routes: string[]; links: string[] }> {
  const addrs = (await run('ip', ['-o', 'addr'])).stdout
    .split('\n')
    .map((l) => l.replace(/\\\s+valid_lft.*$/, '').trim())
    .filter(Boolean)
  const routes = (await run('ip', ['route', 'show', 'table', 'all'])).stdout.split('\n').filter(Boolean)
  const links = (await run('ip', ['-o', 'link'])).stdout
    .split('\n')
    .map((l) => l.split(':')[1]?.trim() ?? '')
    .filter(Boolean)
  return { addrs, routes, links }
}

// Lines present after but not before.
function added(before: readonly string[], after: readonly string[]): string[] {
  return after.filter((l) => !before.includes(l))
}

// curl from a namespace; returns stdout on success, or "curl exit N: stderr".
async function curl(netns: string, url: string): Promise<string> {
  const r = await run('curl', ['-sS', '-m', '2', url], { netns, allowFailure: true })
  return r.exitCode === 0 ? r.stdout : `curl exit ${r.exitCode}: ${r.stderr.trim()}`
}

// Waits until curl from a namespace gets the expected answer.
async function expectAnswer(netns: string, url: string, expected: string): Promise<void> {
  await waitFor({
    what: `${url} from ${netns} to answer "${expected}"`,
    timeoutMs: 10_000,
    intervalMs: 100,
    check: async () => {
      const got = await curl(netns, url)
      return got === expected ? { done: true, value: undefined } : { done: false, seen: got }
    },
  })
}

// Starts the HTTP server in a namespace.
function serve(procs: StartedProcess[], netns: string, host: string, port: number, name: string): void {
  procs.push(start(process.execPath, ['-e', SERVER, host, String(port), name], { netns }))
}

// Everything of one run that is still on the machine.
async function remains(t: LabTopology): Promise<unknown> {
  const left = await leftovers({ cluster: t.cluster, runId: t.runId })
  const netns = (await listNetns()).filter((n) => n.startsWith(t.prefix))
  return { ...left, listed: netns }
}

test(
  'lab network: nodes reachable from outside, pods across nodes, host untouched, nothing left after destroy',
  { skip, timeout: 120_000 },
  async () => {
    const cluster = `nt${randomBytes(3).toString('hex')}`
    const t = planLab({ cluster, workers: 2 }, newRunId())
    const [cp, w1, w2] = t.nodes as [(typeof t.nodes)[0], (typeof t.nodes)[0], (typeof t.nodes)[0]]
    const before = await hostState()
    const procs: StartedProcess[] = []
    const tmp = await mkdtemp(join(tmpdir(), 'svcnet-nt-'))
    const api = createServer((_q, s) => s.end('api server via unix socket'))
    // A stand-in daemon: only its argv matters (`lab serve --cluster C --run-id R`).
    const daemon = start(process.execPath, [
      '-e',
      'setInterval(() => {}, 1000)',
      'lab',
      'serve',
      '--cluster',
      cluster,
      '--run-id',
      t.runId,
    ])
    procs.push(daemon)
    try {
      await createLabNetwork(t)

      // The outside client reaches every node on the lab network.
      for (const node of t.nodes) serve(procs, node.netns, node.ip, 8000, node.name)
      for (const node of t.nodes)
        await expectAnswer(t.outside.netns, `http://${node.ip}:8000/`, `${node.name} ${t.outside.ip}`)

      // It has no route to pods or Services: only the lab network, and LoadBalancer IPs via the first worker.
      const outsideRoutes = (await run('ip', ['-n', t.outside.netns, 'route'])).stdout.trim()
      assert.match(
        outsideRoutes,
        /^172\.18\.0\.0\/16 dev eth0 proto kernel scope link src 172\.18\.0\.100\s*\n172\.18\.255\.192\/26 via 172\.18\.0\.3 dev eth0\s*$/,
      )
      // A LoadBalancer IP reaches that worker (here it holds the IP itself; in a lab, kube-proxy DNATs it).
      const lbIP = t.loadBalancer.pool.split('-')[0]!
      await run('ip', ['-n', w1.netns, 'addr', 'add', `${lbIP}/32`, 'dev', 'lo'])
      serve(procs, w1.netns, lbIP, 8000, 'load balancer on worker')
      await expectAnswer(t.outside.netns, `http://${lbIP}:8000/`, `load balancer on worker ${t.outside.ip}`)
      assert.match(
        await curl(t.outside.netns, `http://${w1.podGateway}:8000/`),
        /^curl exit 7: .*(unreachable|Couldn't connect)/i,
      )

      // Pods: two on worker, one on worker2.
      const a = { uid: randomUUID(), ip: podIpFor(w1, 0) }
      const b = { uid: randomUUID(), ip: podIpFor(w2, 0) }
      const c = { uid: randomUUID(), ip: podIpFor(w1, 1) }
      const podA = await setUpPodNetwork(t, w1, a)
      const podB = await setUpPodNetwork(t, w2, b)
      const podC = await setUpPodNetwork(t, w1, c)
      assert.equal(podA.netns, podNetnsName(t, a.uid))
      serve(procs, podB.netns, '0.0.0.0', 8080, 'pod-b')
      serve(procs, podC.netns, '0.0.0.0', 8080, 'pod-c')
      // Across nodes, without NAT: pod-b sees pod-a's own address.
      await expectAnswer(podA.netns, `http://${b.ip}:8080/`, `pod-b ${a.ip}`)
      // On the same node's bridge.
      await expectAnswer(podA.netns, `http://${c.ip}:8080/`, `pod-c ${a.ip}`)
      // Pods reach nodes (the API server address is the control-plane node's).
      await expectAnswer(podB.netns, `http://${cp.ip}:8000/`, `${cp.name} ${b.ip}`)
      // The outside client cannot reach pods.
      assert.match(await curl(t.outside.netns, `http://${b.ip}:8080/`), /^curl exit 7/)

      // The forwarder in the control-plane namespace brings pods to a unix socket on the host (the API server's).
      const sock = join(tmp, 'apiserver.sock')
      await new Promise<void>((resolve) => api.listen(sock, resolve))
      const fwd = fileURLToPath(new URL('./forwarder.ts', import.meta.url))
      const flags = JSON.stringify(['--listen', `0.0.0.0:${t.apiServer.port}`, '--to', sock])
      const code = `import(${JSON.stringify(fwd)}).then((m) => m.forwardCommand(${flags}))`
      procs.push(start(process.execPath, ['-e', code], { netns: cp.netns }))
      await expectAnswer(
        podA.netns,
        `http://${t.apiServer.host}:${t.apiServer.port}/`,
        'api server via unix socket',
      )

      // Discovery sees the lab, its namespaces and its daemon.
      const found = (await listLabs({ cluster })).find((l) => l.runId === t.runId)
      assert.ok(found?.daemonAlive, JSON.stringify(found))
      assert.deepEqual(found.daemonPids, [daemon.pid])
      assert.equal(found.namespaces.length, 8, found.namespaces.join(' '))

      // The kubelet writes resolv.conf under /etc/netns/<pod netns>/; teardown removes it.
      for (const ns of [podA.netns, podB.netns]) {
        await mkdir(`/etc/netns/${ns}`, { recursive: true })
        await writeFile(`/etc/netns/${ns}/resolv.conf`, 'nameserver 10.96.0.10\n')
      }
      assert.match(
        (await run('cat', ['/etc/resolv.conf'], { netns: podB.netns })).stdout,
        /^nameserver 10\.96\.0\.10$/m,
      )

      // Tearing a pod down stops its server and removes its namespace; repeating it is fine.
      await tearDownPodNetwork(t, b.uid)
      await tearDownPodNetwork(t, b.uid)
      assert.ok(!(await listNetns()).includes(podB.netns))
      assert.equal(existsSync(`/etc/netns/${podB.netns}`), false, 'pod /etc/netns dir left behind')
      assert.match(await curl(podA.netns, `http://${b.ip}:8080/`), /^curl exit (7|28)/)
    } finally {
      for (const p of procs.slice(1)) p.kill('SIGKILL')
      api.close()
      await rm(tmp, { recursive: true, force: true })
      const { removed } = await destroyLab(cluster, t.runId)
      assert.ok(removed.includes(t.switchNetns), removed.join(' '))
      assert.ok(
        removed.some((r) => r.startsWith(`process ${daemon.pid} `)),
        removed.join(' '),
      )
    }
    assert.deepEqual(await remains(t), { netns: [], etcNetns: [], processes: [], runDirs: [], listed: [] })
    assert.deepEqual(
      await destroyLab(cluster, t.runId),
      { removed: [] },
      'a second destroy removes nothing and succeeds',
    )
    const after = await hostState()
    assert.deepEqual(added(before.addrs, after.addrs), [], 'host namespace gained addresses')
    assert.deepEqual(added(before.routes, after.routes), [], 'host namespace gained routes')
    assert.deepEqual(added(before.links, after.links), [], 'host namespace gained links')
  },
)

test(
  'createLabNetwork names the failed step and removes what it had created',
  { skip, timeout: 60_000 },
  async () => {
    const cluster = `nt${randomBytes(3).toString('hex')}`
    const t = planLab({ cluster, workers: 1 }, newRunId())
    const actions = planActions(t)
    actions.splice(4, 0, {
      description: 'break on purpose',
      commands: [['ip', '-n', t.nodes[0]!.netns, 'link', 'set', 'svcnet-nope', 'up']],
      creates: [],
    })
    try {
      await assert.rejects(createLabNetwork(t, { actions }), (err: Error) => {
        assert.match(
          err.message,
          /^failed to break on purpose: exited 1: ip -n svcnet-nt[0-9a-f]+-[0-9a-f]+-control-plane link set svcnet-nope up/,
        )
        assert.equal((err.cause as Error).name, 'RunError')
        return true
      })
      assert.deepEqual(await remains(t), { netns: [], etcNetns: [], processes: [], runDirs: [], listed: [] })
    } finally {
      await destroyLab(cluster, t.runId)
    }
  },
)
