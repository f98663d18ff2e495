// The proxy's informers: @kubernetes/client-node's ListWatch (list, watch, relist on 410 Gone, reconnect backoff) on
// Services, EndpointSlices and the proxy's own Node, adapted to ResourceHandler (old+new on update, onSynced once).
import { existsSync } from 'node:fs'
import { CoreV1Api, DiscoveryV1Api, KubeConfig, ListWatch, Watch, type User } from '@kubernetes/client-node'
import type {
  KubernetesListObject,
  KubernetesObject,
  V1EndpointSlice,
  V1Node,
  V1Service,
} from '@kubernetes/client-node'
import { objectKey } from '../kube/object-key.ts'
import { realClock, type Clock, type TimerHandle } from '../wait/clock.ts'
import type { ResourceHandler } from './resource-handler.ts'

/** How to list and watch one resource. */
export interface InformerSpec<T extends KubernetesObject> {
  /** What is watched, for log lines ("services"). */
  what: string
  /** The watch path (`/api/v1/services`). */
  path: string
  list: () => Promise<KubernetesListObject<T>>
  /** e.g. `metadata.name=node-a` (the list function must apply the same selector). */
  fieldSelector?: string
  watch: Watch
  handler: ResourceHandler<T>
  log: (msg: string) => void
  /** Restart delay after a failed list or watch, doubled up to maxBackoffMs. @default 1000 */
  minBackoffMs?: number
  /** @default 30000 */
  maxBackoffMs?: number
  /** @default realClock */
  clock?: Clock
}

/** A running informer. */
export interface RunningInformer {
  readonly what: string
  readonly synced: boolean
  // Stops watching and cancels any pending restart.
  stop(): void
}

// One line for a list/watch failure: the HTTP code and body of an ApiException, else the message and its cause.
export function describeError(err: unknown): string {
  const e = err as
    { code?: unknown; body?: unknown; message?: string; cause?: { message?: string } } | undefined
  if (typeof e?.code === 'number' && e.body !== undefined) {
    const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body)
    return `HTTP ${e.code}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`
  }
  const detail = e?.cause?.message ? ` (${e.cause.message})` : ''
  return `${(e?.message ?? String(err)).split('\n')[0]}${detail}`
}

// Starts one ListWatch and adapts its events; a list or watch error restarts it after a growing backoff.
export function startInformer<T extends KubernetesObject>(spec: InformerSpec<T>): RunningInformer {
  const clock = spec.clock ?? realClock
  const minBackoff = spec.minBackoffMs ?? 1000
  const maxBackoff = spec.maxBackoffMs ?? 30_000
  const lw = new ListWatch<T>(spec.path, spec.watch, spec.list, false, undefined, spec.fieldSelector)
  // The last object seen per key, to give onUpdate its old object (ListWatch passes only the new one).
  const last = new Map<string, T>()
  let synced = false
  let stopped = false
  let failedSinceStart = false
  let backoff = 0
  let timer: TimerHandle | undefined
  lw.on('add', (obj) => {
    last.set(objectKey(obj.metadata), obj)
    spec.handler.onAdd(obj)
  })
  lw.on('update', (obj) => {
    const old = last.get(objectKey(obj.metadata)) ?? obj
    last.set(objectKey(obj.metadata), obj)
    spec.handler.onUpdate(old, obj)
  })
  lw.on('delete', (obj) => {
    last.delete(objectKey(obj.metadata))
    spec.handler.onDelete(obj)
  })
  lw.on('error', (err?: unknown) => {
    failedSinceStart = true
    if (stopped) return
    backoff = Math.min(Math.max(backoff * 2, minBackoff), maxBackoff)
    spec.log(`${spec.what}: list/watch ${spec.path} failed: ${describeError(err)}; retrying in ${backoff}ms`)
    timer?.cancel()
    timer = clock.setTimer(() => void begin(), backoff)
  })
  // One start of the ListWatch: it resolves once the list is applied and the watch request is open.
  const begin = async (): Promise<void> => {
    timer = undefined
    if (stopped) return
    failedSinceStart = false
    await lw.start()
    if (stopped || failedSinceStart) return
    backoff = 0
    if (!synced) {
      synced = true
      spec.handler.onSynced()
    }
  }
  void begin()
  return {
    what: spec.what,
    get synced() {
      return synced
    },
    stop() {
      stopped = true
      timer?.cancel()
      void lw.stop()
    },
  }
}

/** Handlers for the three resources the proxy watches, and the node whose Node object is watched. */
export interface ProxyHandlers {
  nodeName: string
  services: ResourceHandler<V1Service>
  endpointSlices: ResourceHandler<V1EndpointSlice>
  nodes: ResourceHandler<V1Node>
}

// Starts informers for all Services, all EndpointSlices and the proxy's own Node.
export function startProxyInformers(
  kc: KubeConfig,
  handlers: ProxyHandlers,
  log: (msg: string) => void,
): RunningInformer[] {
  const nodeName = handlers.nodeName
  const core = kc.makeApiClient(CoreV1Api)
  const discovery = kc.makeApiClient(DiscoveryV1Api)
  const watch = new Watch(kc)
  const nodeSelector = `metadata.name=${nodeName}`
  return [
    startInformer<V1Service>({
      what: 'services',
      path: '/api/v1/services',
      list: () => core.listServiceForAllNamespaces(),
      watch,
      handler: handlers.services,
      log,
    }),
    startInformer<V1EndpointSlice>({
      what: 'endpointslices',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      list: () => discovery.listEndpointSliceForAllNamespaces(),
      watch,
      handler: handlers.endpointSlices,
      log,
    }),
    startInformer<V1Node>({
      what: `node ${nodeName}`,
      path: '/api/v1/nodes',
      list: () => core.listNode({ fieldSelector: nodeSelector }),
      fieldSelector: nodeSelector,
      watch,
      handler: handlers.nodes,
      log,
    }),
  ]
}

// A KubeConfig from --master (plain http works; the pod's ServiceAccount token when it has one) or --kubeconfig,
// else the default loading rules.
export function loadKubeConfig(opts: { master?: string; kubeconfig?: string }): KubeConfig {
  const kc = new KubeConfig()
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig)
  else if (!opts.master) kc.loadFromDefault()
  if (opts.master) {
    const current = opts.kubeconfig ? kc.getCurrentUser() : undefined
    kc.loadFromOptions({
      // Not verified: --master may name any address of the API server (kind's need not be in its certificate).
      clusters: [{ name: 'svcnet-proxy', server: opts.master, skipTLSVerify: true }],
      users: [current ?? serviceAccountUser('svcnet-proxy')],
      contexts: [{ name: 'svcnet-proxy', cluster: 'svcnet-proxy', user: current?.name ?? 'svcnet-proxy' }],
      currentContext: 'svcnet-proxy',
    })
  }
  return kc
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token'

// A user that sends the pod's ServiceAccount token (re-read as it changes, as client-node's in-cluster config does), or none.
function serviceAccountUser(name: string): User {
  if (!existsSync(SERVICE_ACCOUNT_TOKEN)) return { name }
  return { name, authProvider: { name: 'tokenFile', config: { tokenFile: SERVICE_ACCOUNT_TOKEN } } }
}
