// `svcnet lab up`: plan the lab, build its network, start its daemon, deploy svcnet's kube-proxy and DNS, wait until they serve.
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KubeConfig, V1NodeList } from '@kubernetes/client-node'
import { run, start } from '../../exec/run.ts'
import { applyObjects } from '../../kube/api-apply.ts'
import type { ApiClient } from '../../kube/api-client.ts'
import { loadKubeConfig } from '../../kube/client-config.ts'
import { readObjects, type ManifestObject } from '../../kube/manifests.ts'
import { RESOURCES } from './control-plane/apiserver/resources.ts'
import { CLI_ENTRY, DEPLOY_DIR, LEAN_NODE_FLAGS } from '../../paths.ts'
import { waitFor } from '../../wait/wait-for.ts'
import { RUN_FILES } from './names.ts'
import { LEAN_NODE_ENV } from './lean-node-env.ts'
import { listLabs } from './discovery.ts'
import { writeOwner } from './owner.ts'
import { createLabNetwork } from './network/network.ts'
import { DEFAULT_LAB_CONFIG, newRunId, planLab, validateLabConfig, type LabConfig } from './network/plan.ts'
import { destroyLab } from './teardown.ts'
import type { LabTopology } from './network/topology.ts'
import { clusterInfoConfigMap } from '../../kube/cluster-info.ts'

/** Options of `lab up`. */
export interface LabUpOptions extends Partial<LabConfig> {
  /** Keep whatever was created when something fails (for debugging). @default false */
  retain?: boolean
  /** Progress messages. */
  log?: (message: string) => void
  /** Deadline for each readiness wait. @default 90000 */
  timeoutMs?: number
  /** Deploy svcnet's kube-proxy (off shows what the suite reports without one). @default true */
  kubeProxy?: boolean
  /** Deploy svcnet's cluster DNS (deploy/dns.yaml, the kube-dns Service at 10.96.0.10). @default true */
  dns?: boolean
  /** Aborting it (Ctrl-C) stops lab up, which then removes everything it built, --retain or not. */
  signal?: AbortSignal
}

/** How long each readiness wait may take, and what interrupts it. */
interface WaitLimits {
  timeoutMs: number
  intervalMs: number
  signal?: AbortSignal
}

// Thrown when a lab of that name already exists (kind refuses the same way).
export class LabExistsError extends Error {
  constructor(cluster: string, runs: readonly string[]) {
    super(
      `node(s) already exist for a cluster with the name "${cluster}" (run ${runs.join(', ')}); ` +
        `remove it first with: svcnet lab down --name ${cluster}`,
    )
    this.name = 'LabExistsError'
  }
}

/** A lab just brought up: its plan and its kubeconfig file. */
export interface LabRun {
  topology: LabTopology
  kubeconfigPath: string
}

/** A running lab, as the suite uses it (with client-node's KubeConfig; see lab-cluster.ts). */
export interface Lab extends LabRun {
  kubeConfig: KubeConfig
}

// Brings a lab up and returns it once every node runs a healthy svcnet kube-proxy and svcnet DNS answers. Its own
// API calls go through the small ApiClient: loading @kubernetes/client-node would cost `lab up` ≈ 0.45 CPU-s.
export async function labUp(opts: LabUpOptions = {}): Promise<LabRun> {
  const config: LabConfig = {
    cluster: opts.cluster ?? DEFAULT_LAB_CONFIG.cluster,
    workers: opts.workers ?? DEFAULT_LAB_CONFIG.workers,
  }
  const problems = validateLabConfig(config)
  if (problems.length > 0) throw new Error(`invalid lab config: ${problems.join('; ')}`)
  if (process.getuid?.() !== 0)
    throw new Error('the lab provider needs root (network namespaces and iptables)')
  const topology = planLab(config, opts.runId ?? newRunId())
  const log = opts.log ?? (() => {})
  const signal = opts.signal
  // Short intervals: each of these waits is on the path of every `lab up` and costs at most one interval too many.
  const wait: WaitLimits = { timeoutMs: opts.timeoutMs ?? 90_000, intervalMs: 50, signal }
  const existing = await listLabs({ cluster: config.cluster })
  if (existing.length > 0)
    throw new LabExistsError(
      config.cluster,
      existing.map((l) => l.runId),
    )
  const began = Date.now()
  // The owner record comes first: while it names a live process, `lab down --all` leaves this lab alone.
  await mkdir(topology.runDir, { recursive: true, mode: 0o700 })
  await writeOwner(topology.runDir)
  try {
    signal?.throwIfAborted()
    log(`creating lab network ${topology.prefix}*`)
    await createLabNetwork(topology)
    signal?.throwIfAborted()
    log('starting the lab daemon (API server, controllers, kubelet)')
    const kubeconfigPath = await startDaemon(topology, config, wait)
    const client = loadKubeConfig({ kubeconfig: kubeconfigPath })
    // Deployed before the nodes are Ready: the DaemonSet controller places a pod on each node as it registers.
    // The svcnet-cluster ConfigMap tells deploy/'s pods where the API server is and what the CIDRs are.
    await writeClusterInfo(client, topology)
    if (opts.kubeProxy !== false) {
      log("deploying svcnet's kube-proxy")
      await deploy(client, 'kube-proxy.yaml')
    } else {
      log('NOT deploying a kube-proxy (kubeProxy: false): Services will not work')
    }
    if (opts.dns !== false) {
      log("deploying svcnet's cluster DNS")
      await deploy(client, 'dns.yaml')
    }
    signal?.throwIfAborted()
    log('waiting for nodes to be Ready')
    await waitForNodesReady(client, topology, wait)
    if (opts.kubeProxy !== false) {
      log('waiting for the kube-proxy to be healthy on every node')
      await waitForKubeProxy(topology, wait)
    }
    if (opts.dns !== false && opts.kubeProxy !== false) {
      log('waiting for the cluster DNS to answer')
      await waitForDns(topology, wait)
    }
    log(
      `lab ${topology.cluster} is up (run ${topology.runId}) in ${((Date.now() - began) / 1000).toFixed(1)}s`,
    )
    client.close()
    return { topology, kubeconfigPath }
  } catch (err) {
    if (signal?.aborted) {
      log(`interrupted: removing lab ${topology.cluster} (run ${topology.runId})`)
      await destroyLab(topology.cluster, topology.runId)
      throw signal.reason
    }
    if (!opts.retain) await destroyLab(topology.cluster, topology.runId)
    throw new Error(`lab up ${topology.cluster} (run ${topology.runId}) failed: ${(err as Error).message}`, {
      cause: err,
    })
  }
}

// Starts `svcnet lab serve` detached and waits for the kubeconfig it writes once serving.
async function startDaemon(topology: LabTopology, config: LabConfig, wait: WaitLimits): Promise<string> {
  const logFile = join(topology.runDir, RUN_FILES.daemonLog)
  const daemon = start(
    process.execPath,
    [
      ...LEAN_NODE_FLAGS,
      CLI_ENTRY,
      'lab',
      'serve',
      '--cluster',
      topology.cluster,
      '--run-id',
      topology.runId,
      '--workers',
      String(config.workers),
    ],
    { detached: true, logFile, env: { ...LEAN_NODE_ENV } },
  )
  let exited: string | undefined
  void daemon.exited.then((r) => (exited = `exit ${r.exitCode ?? r.signal}`))
  const kubeconfigPath = join(topology.runDir, RUN_FILES.kubeconfig)
  await waitFor({
    what: `the lab daemon to serve (${kubeconfigPath})`,
    ...wait,
    check: async () => {
      if (existsSync(kubeconfigPath)) return { done: true, value: undefined }
      if (exited) throw new Error(`lab daemon ended (${exited}); its log:\n${await tail(logFile)}`)
      return { done: false, seen: `no kubeconfig yet; daemon log: ${(await tail(logFile, 3)) || '(empty)'}` }
    },
  })
  return kubeconfigPath
}

// The last lines of a file, or '' when it does not exist.
async function tail(file: string, lines = 20): Promise<string> {
  if (!existsSync(file)) return ''
  return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n')
}

// Waits until every planned node is registered and Ready.
async function waitForNodesReady(client: ApiClient, topology: LabTopology, wait: WaitLimits): Promise<void> {
  await waitFor({
    what: `${topology.nodes.length} Ready nodes`,
    ...wait,
    check: async () => {
      const nodes = (await client.getJson<V1NodeList>('/api/v1/nodes')).items
      const ready = nodes.filter((n) =>
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      if (ready.length === topology.nodes.length) return { done: true, value: undefined }
      return { done: false, seen: `ready: [${ready.map((n) => n.metadata?.name).join(', ')}]` }
    },
  })
}

// Writes the svcnet-cluster ConfigMap (read by kube-proxy and DNS pods); the lab has no resolver for DNS to forward to.
async function writeClusterInfo(client: ApiClient, topology: LabTopology): Promise<void> {
  const object = clusterInfoConfigMap({
    apiserver: `https://${topology.apiServer.host}:${topology.apiServer.port}`,
    clusterCIDR: topology.clusterCIDR,
    serviceCIDR: topology.serviceCIDR,
    dnsUpstream: 'none',
    // A lab's syncs are cheap, and the suite's disruption checks measure how fast endpoints leave the rules.
    minSyncPeriod: '100ms',
  })
  await applyObjects(client, [{ object, source: 'lab provider' }], collectionPath)
}

// Where the lab API server keeps objects of a manifest's kind (its resource table: no discovery round trips).
function collectionPath(obj: ManifestObject): string {
  const info = Object.values(RESOURCES).find((r) => r.kind === obj.kind && r.apiVersion === obj.apiVersion)
  if (!info) throw new Error(`the lab API server does not serve ${obj.apiVersion} ${obj.kind}`)
  const base = info.group ? `/apis/${info.apiVersion}` : '/api/v1'
  const ns = info.namespaced ? `/namespaces/${obj.metadata?.namespace ?? 'default'}` : ''
  return `${base}${ns}/${info.resource}`
}

// Applies one of deploy/'s manifests (kube-proxy.yaml, dns.yaml) unchanged.
async function deploy(client: ApiClient, name: string): Promise<void> {
  const file = join(DEPLOY_DIR, name)
  const objects = readObjects(await readFile(file, 'utf8'), file).map((object) => ({ object, source: file }))
  await applyObjects(client, objects, collectionPath)
}

// Waits until `kubernetes.default` resolves through the kube-dns Service from a node: the DNS is serving (a replica
// is Ready, so in the Service's endpoints, and answers). The other replicas' readiness is not waited for.
async function waitForDns(topology: LabTopology, wait: WaitLimits): Promise<void> {
  const node = topology.nodes[0]!
  const name = 'kubernetes.default.svc.cluster.local'
  await waitFor({
    what: `${name} to resolve through 10.96.0.10 from ${node.name}`,
    ...wait,
    check: async () => {
      const r = await run('dig', ['@10.96.0.10', name, 'A', '+short', '+time=1', '+tries=1'], {
        netns: node.netns,
        allowFailure: true,
      })
      const answer = r.stdout.trim()
      if (r.exitCode === 0 && /^\d+\.\d+\.\d+\.\d+$/m.test(answer)) return { done: true, value: undefined }
      return { done: false, seen: `dig exit ${r.exitCode}: ${(answer || r.stderr.trim()).split('\n')[0]}` }
    },
  })
}

// Waits until every node's kube-proxy answers /healthz with 200 from outside: it has synced its rules (the pods'
// Ready condition follows at the next tick of their 1 s readiness probe, which lab up does not wait for).
async function waitForKubeProxy(topology: LabTopology, wait: WaitLimits): Promise<void> {
  // One curl for all nodes (a transfer that fails prints 000 and curl goes on with the next URL).
  const urls = topology.nodes.flatMap((n) => ['-o', '/dev/null', `http://${n.ip}:10256/healthz`])
  await waitFor({
    what: `kube-proxy /healthz on ${topology.nodes.map((n) => `${n.name} (${n.ip}:10256)`).join(', ')}`,
    ...wait,
    check: async () => {
      const r = await run('curl', ['-sS', '-m', '2', '-w', '%{http_code}\n', ...urls], {
        netns: topology.outside.netns,
        allowFailure: true,
      })
      const codes = r.stdout.trim().split('\n')
      if (codes.length === topology.nodes.length && codes.every((c) => c === '200'))
        return { done: true, value: undefined }
      const seen = topology.nodes.map((n, i) => `${n.name} HTTP ${codes[i] || '-'}`).join(', ')
      return { done: false, seen: `${seen} (curl exit ${r.exitCode}) ${r.stderr.trim()}` }
    },
  })
}
