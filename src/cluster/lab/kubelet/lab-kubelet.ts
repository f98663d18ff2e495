// The lab kubelet: registers the lab's Nodes and runs the pods bound to them as processes in pod network namespaces.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { availableParallelism, release, totalmem } from 'node:os'
import type { Writable } from 'node:stream'
import type { V1Container, V1Pod } from '@kubernetes/client-node'
import { StatusError, notFound } from '../control-plane/apiserver/status-error.ts'
import type { KubeObject, Store, WatchEvent } from '../control-plane/apiserver/store.ts'
import { PodIpam } from '../network/pod-ipam.ts'
import type { LabNode, LabTopology } from '../network/topology.ts'
import { ContainerRunner, type BackoffSettings } from './container-runner.ts'
import { makeContainer } from './make-container.ts'
import { podHostname, podResolvConfig, renderHostsFile, renderResolvConf } from './dns-files.ts'
import { podEvent } from './events.ts'
import { nodeObject } from './node-object.ts'
import { labPodNetwork, type PodNetworkDriver } from './pod-network-driver.ts'
import { containerLogPath, podLogDir, readLogFile, tailLines, type PodLogSource } from './pod-logs.ts'
import { LogTimes } from './log-times.ts'
import { buildPodStatus, waitingRecord, withoutTimes } from './pod-status.ts'
import { PodWorker, type BlockedContainer } from './pod-worker.ts'
import { podServiceEnv } from './service-env.ts'
import { writeServiceAccountFiles, type ServiceAccountFiles } from './service-account-files.ts'
import { rfc3339 } from '../../../kube/time.ts'

/** Options of the lab kubelet. */
export interface LabKubeletOptions {
  store: Store
  topology: LabTopology
  /** Absolute path of the Node binary that runs built-in workloads (process.execPath). */
  nodeBinary: string
  /** Absolute path of src/cli/main.ts. */
  cliEntry: string
  /** Container logs go to `<logDir>/<namespace>_<pod>_<uid>/<container>.log`. */
  logDir: string
  /** @default ['10.96.0.10'] */
  clusterDNS?: string[]
  /** @default 'cluster.local' */
  clusterDomain?: string
  /** The node resolver file for dnsPolicy Default. @default '/etc/resolv.conf' */
  resolvConf?: string
  /** Where pod resolv.conf/hosts go (`ip netns exec` mounts `<dir>/<netns>/*` over /etc). @default '/etc/netns' */
  etcNetnsDir?: string
  /** @default the lab's pod-network module */
  network?: PodNetworkDriver
  /** @default { initialMs: 10000, maxMs: 300000 } */
  backoff?: BackoffSettings
  /** The token and CA pods get at /var/run/secrets/kubernetes.io/serviceaccount; none without it. */
  serviceAccount?: ServiceAccountFiles
  /** Problems the sync loop hits (it keeps going). @default stderr with a `kubelet` prefix */
  log?: (line: string) => void
}

/** How often containers blocked by a missing ConfigMap are tried again. */
const CONFIG_RETRY_MS = 2000

const nowText = () => rfc3339(new Date())

// One kubelet for every node of a lab; implements PodLogSource for the API server's pods/log.
export class LabKubelet implements PodLogSource {
  readonly #opts: LabKubeletOptions
  readonly #store: Store
  readonly #nodes: Map<string, LabNode>
  readonly #ipams = new Map<string, PodIpam>()
  readonly #network: PodNetworkDriver
  readonly #workers = new Map<string, PodWorker>()
  readonly #queues = new Map<string, Promise<void>>()
  readonly #log: (line: string) => void
  #hostResolv = ''
  readonly #retryTimers = new Set<NodeJS.Timeout>()
  #unwatch: (() => void) | undefined
  #stopping = false
  readonly #logTimes = new LogTimes((err) => this.#log(err.message))

  constructor(opts: LabKubeletOptions) {
    this.#opts = opts
    this.#store = opts.store
    this.#nodes = new Map(opts.topology.nodes.map((n) => [n.name, n]))
    for (const n of opts.topology.nodes) this.#ipams.set(n.name, new PodIpam(n.podCIDR))
    this.#network = opts.network ?? labPodNetwork(opts.topology)
    this.#log = opts.log ?? ((line) => process.stderr.write(`kubelet ${nowText()} ${line}\n`))
  }

  // Registers the Nodes and starts running the pods bound to them.
  async start(): Promise<void> {
    this.#hostResolv = await readFile(this.#opts.resolvConf ?? '/etc/resolv.conf', 'utf8').catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return ''
        throw new Error(`kubelet: reading the node resolver file: ${err.message}`, { cause: err })
      },
    )
    await mkdir(this.#opts.logDir, { recursive: true })
    this.#logTimes.start(this.#opts.logDir)
    const host = {
      cpus: availableParallelism(),
      memoryKi: Math.floor(totalmem() / 1024),
      kernelVersion: release(),
    }
    for (const node of this.#nodes.values()) this.#registerNode(nodeObject(node, host, nowText()))
    const { items, resourceVersion } = this.#store.list('pods')
    for (const pod of items) this.#onPodEvent({ type: 'ADDED', object: pod })
    this.#unwatch = this.#store.watch('pods', { resourceVersion }, (e) => this.#onPodEvent(e))
  }

  // Stops watching, stops every pod process and tears down the pod networks it created.
  async stop(): Promise<void> {
    this.#stopping = true
    this.#unwatch?.()
    this.#logTimes.stop()
    for (const t of this.#retryTimers) clearTimeout(t)
    await Promise.all(this.#queues.values())
    const problems: string[] = []
    await Promise.all(
      [...this.#workers.values()].map((w) =>
        this.#cleanUp(w, 2000).catch((err: Error) =>
          problems.push(`pod ${w.namespace}/${w.name}: ${err.message}`),
        ),
      ),
    )
    if (problems.length > 0)
      throw new Error(`kubelet stop left things behind:\n  - ${problems.join('\n  - ')}`)
  }

  // Reads a container's log (pods/log), each line prefixed with the time it was written when `timestamps`; throws 404
  // for an unknown pod, 400 for a container that never started.
  async read(
    namespace: string,
    pod: string,
    container: string | undefined,
    opts: { tailLines?: number; timestamps?: boolean },
  ): Promise<string> {
    const obj = this.#store.get('pods', namespace, pod) as V1Pod | undefined
    if (!obj) throw notFound('pods', '', pod)
    const names = (obj.spec?.containers ?? []).map((c) => c.name)
    if (container === undefined && names.length > 1) {
      throw new StatusError(
        400,
        'BadRequest',
        `a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`,
      )
    }
    const name = container ?? names[0] ?? ''
    if (!names.includes(name))
      throw new StatusError(400, 'BadRequest', `container ${name} is not valid for pod ${pod}`)
    const w = this.#workerFor(namespace, pod)
    const uid = obj.metadata?.uid ?? ''
    const path = containerLogPath(this.#opts.logDir, namespace, pod, uid, name)
    const text = await readLogFile(path)
    if (text === undefined) {
      const rec = w?.containers.find((c) => c.record.name === name)?.record
      const reason = rec?.state.waiting?.reason ?? 'ContainerCreating'
      throw new StatusError(
        400,
        'BadRequest',
        `container "${name}" in pod "${pod}" is waiting to start: ${reason}`,
      )
    }
    return tailLines(opts.timestamps ? this.#logTimes.timestamped(path, text) : text, opts.tailLines)
  }

  // Each line of a container log's bytes from `start` prefixed with the time it was written (followed logs).
  timestamped(path: string, text: string, start: number): string {
    return this.#logTimes.timestamped(path, text, start)
  }

  // The argv that runs a command inside a running pod's container (netns, hostname, env), e.g. curl or dig.
  execArgv(namespace: string, pod: string, argv: readonly string[], container?: string): string[] {
    const w = this.#workerFor(namespace, pod)
    if (!w) throw notFound('pods', '', pod)
    const r = w.runner(container)
    if (!r)
      throw new StatusError(
        400,
        'BadRequest',
        `container ${container ?? '(first)'} of pod ${pod} is not running`,
      )
    return r.execArgv(argv)
  }

  // The stdin of a running container started with `stdin: true` (and its stdinOnce), or undefined.
  containerStdin(
    namespace: string,
    pod: string,
    container?: string,
  ): { stdin: Writable; once: boolean } | undefined {
    const r = this.#workerFor(namespace, pod)?.runner(container)
    const stdin = r?.stdin
    return stdin && r.spec.stdin ? { stdin, once: r.spec.stdinOnce === true } : undefined
  }

  // The pod network namespace of a running pod (the node's for hostNetwork pods), or undefined.
  podNetns(namespace: string, pod: string): string | undefined {
    return this.#workerFor(namespace, pod)?.netns
  }

  #workerFor(namespace: string, pod: string): PodWorker | undefined {
    for (const w of this.#workers.values())
      if (w.namespace === namespace && w.name === pod && !w.terminating) return w
    for (const w of this.#workers.values()) if (w.namespace === namespace && w.name === pod) return w
    return undefined
  }

  #registerNode(obj: KubeObject): void {
    const name = obj.metadata.name ?? ''
    const existing = this.#store.get('nodes', undefined, name)
    const stored = existing
      ? this.#store.update('nodes', {
          ...obj,
          metadata: { ...existing.metadata, labels: obj.metadata.labels },
        })
      : this.#store.create('nodes', obj)
    this.#store.update('nodes', { ...stored, status: obj.status }, { subresource: 'status' })
  }

  #onPodEvent(e: WatchEvent): void {
    if (this.#stopping || e.type === 'BOOKMARK') return
    const pod = e.object as unknown as V1Pod
    const uid = pod.metadata?.uid ?? ''
    const mine =
      this.#workers.has(uid) || (pod.spec?.nodeName !== undefined && this.#nodes.has(pod.spec.nodeName))
    if (!mine) return
    this.#enqueue(uid, () => this.#sync(uid, pod.metadata?.namespace ?? '', pod.metadata?.name ?? ''))
  }

  // Runs fn after everything queued for this pod; failures are logged, the loop goes on.
  #enqueue(uid: string, fn: () => Promise<void>): void {
    const prev = this.#queues.get(uid) ?? Promise.resolve()
    const next = prev
      .then(fn)
      .catch((err: Error) => this.#log(`pod ${uid}: ${err.message}`))
      .finally(() => {
        if (this.#queues.get(uid) === next) this.#queues.delete(uid)
      })
    this.#queues.set(uid, next)
  }

  // Brings one pod in line with the store: start it, terminate it, or clean up after it.
  async #sync(uid: string, namespace: string, name: string): Promise<void> {
    const current = this.#store.get('pods', namespace, name) as V1Pod | undefined
    const pod = current?.metadata?.uid === uid ? current : undefined
    const w = this.#workers.get(uid)
    if (!pod) {
      if (w) await this.#cleanUp(w, 0)
      return
    }
    if (pod.metadata?.deletionTimestamp) {
      if (w && !w.terminating) await this.#terminate(w, pod)
      else if (!w) this.#deleteFromStore(pod)
      return
    }
    if (!w && !this.#stopping) {
      const phase = pod.status?.phase
      if (phase === 'Succeeded' || phase === 'Failed') return
      await this.#startPod(pod)
    }
  }

  async #startPod(pod: V1Pod): Promise<void> {
    const node = this.#nodes.get(pod.spec?.nodeName ?? '')!
    const w = new PodWorker(pod, node, nowText())
    this.#workers.set(w.uid, w)
    w.containers = (pod.spec?.containers ?? []).map((c) => ({
      record: waitingRecord(c, 'ContainerCreating'),
    }))
    this.#writeStatus(w)
    w.ip = w.hostNetwork ? node.ip : this.#ipams.get(node.name)!.allocate(w.uid)
    if (w.hostNetwork) {
      w.netns = node.netns
    } else {
      w.netns = (await this.#network.setUp(node, { uid: w.uid, ip: w.ip })).netns
      w.ownsNetwork = true
      await this.#writeDnsFiles(w, pod)
    }
    const logDir = podLogDir(this.#opts.logDir, w.namespace, w.name, w.uid)
    await mkdir(logDir, { recursive: true })
    const sa = this.#opts.serviceAccount
    if (sa && pod.spec?.automountServiceAccountToken !== false) {
      w.serviceAccountDir = await writeServiceAccountFiles(logDir, w.namespace, sa)
    }
    w.containers = (pod.spec?.containers ?? []).map((c) => this.#makeContainer(w, pod, c))
    for (const c of w.containers) if (c instanceof ContainerRunner) c.start()
    this.#writeStatus(w)
    this.#retryBlockedLater(w)
  }

  // Builds one container of a pod: Service env as of now, env, image mapping.
  #makeContainer(w: PodWorker, pod: V1Pod, c: V1Container): ContainerRunner | BlockedContainer {
    const services = this.#store.list('services').items
    return makeContainer({
      pod,
      container: c,
      worker: w,
      serviceEnv: podServiceEnv(services, w.namespace, pod.spec?.enableServiceLinks !== false),
      hostname: w.hostNetwork ? w.node.name : podHostname(pod),
      configMap: (ns, n) => this.#store.get('configmaps', ns, n)?.data as Record<string, string> | undefined,
      launch: this.#opts,
      logDir: this.#opts.logDir,
      backoff: this.#opts.backoff ?? { initialMs: 10_000, maxMs: 300_000 },
      ...(w.serviceAccountDir ? { serviceAccountDir: w.serviceAccountDir } : {}),
      onChange: () => this.#enqueue(w.uid, async () => this.#writeStatus(w)),
      event: (type, reason, message) => this.#event(pod, type, reason, message, c.name),
    })
  }

  // Containers blocked by a missing ConfigMap are retried (as kubelet's sync does) until it appears.
  #retryBlockedLater(w: PodWorker): void {
    const blocked = () =>
      w.containers.some(
        (c) =>
          !(c instanceof ContainerRunner) && c.record.state.waiting?.reason === 'CreateContainerConfigError',
      )
    if (!blocked()) return
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer)
      this.#enqueue(w.uid, async () => {
        const pod = this.#store.get('pods', w.namespace, w.name) as V1Pod | undefined
        if (this.#stopping || w.terminating || pod?.metadata?.uid !== w.uid || this.#workers.get(w.uid) !== w)
          return
        const specs = pod.spec?.containers ?? []
        w.containers = w.containers.map((c, i) => {
          if (c instanceof ContainerRunner || c.record.state.waiting?.reason !== 'CreateContainerConfigError')
            return c
          const next = this.#makeContainer(w, pod, specs[i]!)
          if (next instanceof ContainerRunner) next.start()
          return next
        })
        this.#writeStatus(w)
        this.#retryBlockedLater(w)
      })
    }, CONFIG_RETRY_MS)
    this.#retryTimers.add(timer)
  }

  async #writeDnsFiles(w: PodWorker, pod: V1Pod): Promise<void> {
    const dir = `${this.#opts.etcNetnsDir ?? '/etc/netns'}/${w.netns}`
    await mkdir(dir, { recursive: true })
    const dns = {
      clusterDNS: this.#opts.clusterDNS ?? ['10.96.0.10'],
      clusterDomain: this.#opts.clusterDomain ?? 'cluster.local',
      hostResolvConf: this.#hostResolv,
    }
    await writeFile(`${dir}/resolv.conf`, renderResolvConf(podResolvConfig(pod, dns)))
    await writeFile(`${dir}/hosts`, renderHostsFile(pod, w.ip!, dns.clusterDomain))
  }

  // Graceful deletion: not ready, SIGTERM, SIGKILL after the grace period, network down, then the final delete.
  async #terminate(w: PodWorker, pod: V1Pod): Promise<void> {
    w.terminating = true
    this.#writeStatus(w)
    for (const c of w.containers) {
      if (c instanceof ContainerRunner && c.pid !== undefined)
        this.#event(pod, 'Normal', 'Killing', `Stopping container ${c.spec.name}`, c.spec.name)
    }
    const graceSeconds =
      pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30
    await this.#cleanUp(w, graceSeconds * 1000)
    this.#deleteFromStore(pod)
  }

  // Stops a pod's processes, removes its network and forgets it.
  async #cleanUp(w: PodWorker, graceMs: number): Promise<void> {
    w.terminating = true
    await Promise.all(w.containers.map((c) => (c instanceof ContainerRunner ? c.stop(graceMs) : undefined)))
    if (w.ownsNetwork) {
      await this.#network.tearDown(w.uid)
      w.ownsNetwork = false
    }
    this.#ipams.get(w.node.name)?.release(w.uid)
    this.#workers.delete(w.uid)
  }

  #deleteFromStore(pod: V1Pod): void {
    const ns = pod.metadata?.namespace ?? ''
    const name = pod.metadata?.name ?? ''
    const current = this.#store.get('pods', ns, name)
    if (current?.metadata.uid !== pod.metadata?.uid) return
    this.#store.delete('pods', ns, name, { gracePeriodSeconds: 0 })
  }

  // Writes the pod's status when it changed (status subresource).
  #writeStatus(w: PodWorker): void {
    const current = this.#store.get('pods', w.namespace, w.name)
    if (!current || current.metadata.uid !== w.uid) return
    const status = buildPodStatus(current as unknown as V1Pod, w.record(), nowText())
    const before = { ...(current.status as Record<string, unknown> | undefined) }
    if (JSON.stringify(withoutTimes(before)) === JSON.stringify(withoutTimes(status))) return
    this.#store.update('pods', { ...current, status: { ...before, ...status } }, { subresource: 'status' })
  }

  #event(pod: V1Pod, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    const obj = pod as unknown as KubeObject
    try {
      this.#store.create(
        'events',
        podEvent({
          pod: obj,
          type,
          reason,
          message,
          nodeName: pod.spec?.nodeName ?? '',
          now: nowText(),
          ...(container ? { container } : {}),
        }),
      )
    } catch (err) {
      this.#log(
        `recording event ${reason} for pod ${obj.metadata.namespace}/${obj.metadata.name}: ${(err as Error).message}`,
      )
    }
  }
}
