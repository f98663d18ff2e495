// An informer, as client-go's reflector and client-node's ListWatch: list, then watch from the list's resourceVersion
// (with bookmarks), re-watch from the last seen version when the stream ends, relist on 410 Gone (deleting what
// vanished, updating what changed), restart with backoff after errors; events go to a ResourceHandler (old and new
// object on update, onSynced once). Used by the proxy and the DNS, over the small ApiClient.
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node'
import { ApiError, readText, type ApiClient } from './api-client.ts'
import { objectKey } from './object-key.ts'
import type { ResourceHandler } from './resource-handler.ts'
import { readWatchEvents, type WatchEvent } from './watch-stream.ts'
import { realClock, type Clock, type TimerHandle } from '../wait/clock.ts'

/** How to list and watch one resource. */
export interface InformerSpec<T extends KubernetesObject> {
  /** What is watched, for log lines ("services"). */
  what: string
  client: ApiClient
  /** The collection path (`/api/v1/services`), listed and watched. */
  path: string
  /** e.g. `metadata.name=node-a`, for both the list and the watch. */
  fieldSelector?: string
  handler: ResourceHandler<T>
  log: (msg: string) => void
  /** Restart delay after a failed list or watch, doubled up to maxBackoffMs. @default 1000 */
  minBackoffMs?: number
  /** @default 30000 */
  maxBackoffMs?: number
  /** The watch's timeoutSeconds (the server ends it then; the informer re-watches). @default 300–600, random */
  watchTimeoutSeconds?: number
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

// One line for a list/watch failure: the HTTP code and body of an API error, else the message and its cause.
export function describeError(err: unknown): string {
  const e = err as
    { code?: unknown; body?: unknown; message?: string; cause?: { message?: string } } | undefined
  if (typeof e?.code === 'number' && e.body !== undefined) {
    const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body)
    return `HTTP ${e.code}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`
  }
  const detail = e?.cause?.message && !e.message?.includes(e.cause.message) ? ` (${e.cause.message})` : ''
  return `${(e?.message ?? String(err)).split('\n')[0]}${detail}`
}

/** How one watch ended: after how many events, and whether the server said 410 Gone. */
interface WatchEnd {
  events: number
  gone: boolean
}

// Starts list+watch of one resource; returns at once (the first list runs in the background).
export function startInformer<T extends KubernetesObject>(spec: InformerSpec<T>): RunningInformer {
  const clock = spec.clock ?? realClock
  const minBackoff = spec.minBackoffMs ?? 1000
  const maxBackoff = spec.maxBackoffMs ?? 30_000
  const timeoutSeconds = spec.watchTimeoutSeconds ?? Math.round(300 * (1 + Math.random()))
  const selector = spec.fieldSelector ? `fieldSelector=${encodeURIComponent(spec.fieldSelector)}` : ''
  // The objects as last seen, by namespace/name (the "store" of client-go's informer).
  const objects = new Map<string, T>()
  let resourceVersion = ''
  let synced = false
  let stopped = false
  let backoff = 0
  // Watches in a row that ended without a single event: each waits longer (a server that closes at once).
  let quiet = 0
  let timer: TimerHandle | undefined
  let abort: AbortController | undefined

  const upsert = (obj: T) => {
    const key = objectKey(obj.metadata ?? {})
    const old = objects.get(key)
    if (
      old &&
      old.metadata?.resourceVersion &&
      old.metadata.resourceVersion === obj.metadata?.resourceVersion
    )
      return
    objects.set(key, obj)
    if (old) spec.handler.onUpdate(old, obj)
    else spec.handler.onAdd(obj)
  }
  const remove = (obj: T) => {
    const key = objectKey(obj.metadata ?? {})
    if (!objects.delete(key)) return
    spec.handler.onDelete(obj)
  }

  // Lists and applies the list: deletes for what vanished, then adds/updates in the list's order.
  const relist = async (signal: AbortSignal) => {
    const q = selector ? `?${selector}` : ''
    const list = await spec.client.getJson<KubernetesListObject<T>>(`${spec.path}${q}`, signal)
    if (signal.aborted) return
    const items = list.items ?? []
    const keep = new Set(items.map((o) => objectKey(o.metadata ?? {})))
    for (const [key, old] of [...objects]) if (!keep.has(key)) remove(old)
    for (const obj of items) upsert(obj)
    resourceVersion = list.metadata?.resourceVersion ?? ''
    if (!synced) {
      synced = true
      spec.handler.onSynced()
    }
  }

  // One watch from resourceVersion until the stream ends; resolves with how it ended.
  const watchOnce = async (signal: AbortSignal): Promise<WatchEnd> => {
    const query = [
      'watch=true',
      `resourceVersion=${encodeURIComponent(resourceVersion)}`,
      'allowWatchBookmarks=true',
      `timeoutSeconds=${timeoutSeconds}`,
      selector,
    ].filter(Boolean)
    const res = await spec.client.get(`${spec.path}?${query.join('&')}`, signal)
    if (res.statusCode === 410) {
      await readText(res)
      return { events: 0, gone: true }
    }
    if (res.statusCode !== 200)
      throw new ApiError(`watch ${spec.path}`, res.statusCode ?? 0, await readText(res))
    backoff = 0
    const end: WatchEnd = { events: 0, gone: false }
    // A connection that stays silent past the server's own timeout is dead: drop it.
    let idle: TimerHandle | undefined
    const alive = () => {
      idle?.cancel()
      idle = clock.setTimer(
        () => res.destroy(new Error(`watch ${spec.path}: no data for ${timeoutSeconds + 30}s`)),
        (timeoutSeconds + 30) * 1000,
      )
    }
    alive()
    try {
      await readWatchEvents(res, (e) => onEvent(e, end), alive)
    } finally {
      idle?.cancel()
    }
    return end
  }

  const onEvent = (e: WatchEvent, end: WatchEnd) => {
    if (e.type === 'ERROR') {
      if (e.object.code === 410) {
        end.gone = true
        return
      }
      throw new ApiError(`watch ${spec.path}`, e.object.code ?? 0, JSON.stringify(e.object))
    }
    end.events++
    const obj = e.object as T
    if (e.type === 'ADDED' || e.type === 'MODIFIED') upsert(obj)
    else if (e.type === 'DELETED') remove(obj)
    else if (e.type !== 'BOOKMARK') throw new Error(`watch ${spec.path}: unknown event type ${e.type}`)
    resourceVersion = obj.metadata?.resourceVersion || resourceVersion
  }

  // One round: list when no resourceVersion is known, then one watch; schedules the next round.
  const round = async () => {
    timer = undefined
    if (stopped) return
    abort = new AbortController()
    const signal = abort.signal
    try {
      if (!resourceVersion) await relist(signal)
      if (stopped) return
      const end = await watchOnce(signal)
      if (end.gone) resourceVersion = ''
      quiet = end.events > 0 ? 0 : quiet + 1
      schedule(quiet <= 1 ? 0 : Math.min(minBackoff * 2 ** (quiet - 2), maxBackoff))
    } catch (err) {
      if (stopped) return
      backoff = Math.min(Math.max(backoff * 2, minBackoff), maxBackoff)
      spec.log(
        `${spec.what}: list/watch ${spec.path} failed: ${describeError(err)}; retrying in ${backoff}ms`,
      )
      schedule(backoff)
    }
  }
  const schedule = (ms: number) => {
    timer?.cancel()
    timer = clock.setTimer(() => void round(), ms)
  }
  void round()
  return {
    what: spec.what,
    get synced() {
      return synced
    },
    stop() {
      stopped = true
      timer?.cancel()
      abort?.abort()
    },
  }
}
