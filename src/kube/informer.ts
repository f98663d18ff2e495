// An informer: @kubernetes/client-node's ListWatch (list, watch, relist on 410 Gone) restarted with backoff after
// errors, adapted to ResourceHandler (old and new object on update, onSynced once). Used by the proxy and the DNS.
import { ListWatch, type Watch } from '@kubernetes/client-node'
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node'
import { objectKey } from './object-key.ts'
import type { ResourceHandler } from './resource-handler.ts'
import { realClock, type Clock, type TimerHandle } from '../wait/clock.ts'

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
