// Shared informers over the in-process store: list, then watch from the list's resourceVersion,
// keep a cache, re-list on 410 Gone, and call handlers with the old and new object.
import type { KubeObject, ResourceName, Store, WatchEvent } from '../apiserver/store.ts'
import { hasCode } from './objects.ts'
import { objectKey } from '../../../../kube/object-key.ts'
import { realClock, type Clock, type TimerHandle } from '../../../../wait/clock.ts'

/** Callbacks for changes to one resource; they must not throw (they only enqueue keys). */
export interface InformerHandler {
  onAdd?(obj: KubeObject): void
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void
  onDelete?(obj: KubeObject): void
}

// Watches one resource cluster-wide and fans its changes out to handlers.
export class Informer {
  readonly resource: ResourceName
  readonly #store: Store
  readonly #cache = new Map<string, KubeObject>()
  readonly #handlers: InformerHandler[] = []
  readonly #onError: (err: unknown) => void
  #stopWatch: (() => void) | undefined
  readonly #clock: Clock
  #retry: TimerHandle | undefined
  #started = false
  #stopped = false

  constructor(
    store: Store,
    resource: ResourceName,
    onError: (err: unknown) => void,
    clock: Clock = realClock,
  ) {
    this.#store = store
    this.resource = resource
    this.#onError = onError
    this.#clock = clock
  }

  // Registers a handler; objects already cached are replayed to it as adds.
  addHandler(handler: InformerHandler): void {
    this.#handlers.push(handler)
    for (const obj of this.#cache.values()) handler.onAdd?.(obj)
  }

  // The cached objects (as last seen).
  list(): KubeObject[] {
    return [...this.#cache.values()]
  }

  // Lists and starts watching; idempotent.
  start(): void {
    if (this.#started) return
    this.#started = true
    this.#relist()
  }

  // Stops the watch and any pending re-list.
  stop(): void {
    this.#stopped = true
    this.#stopWatch?.()
    this.#stopWatch = undefined
    this.#retry?.cancel()
  }

  #relist(): void {
    if (this.#stopped) return
    this.#stopWatch?.()
    this.#stopWatch = undefined
    try {
      const { items, resourceVersion } = this.#store.list(this.resource)
      this.#replace(items)
      this.#stopWatch = this.#store.watch(this.resource, { resourceVersion }, (ev) => this.#onEvent(ev))
    } catch (err) {
      if (!hasCode(err, 410))
        this.#onError(new Error(`list/watch of ${this.resource} failed: ${String(err)}`))
      this.#retry = this.#clock.setTimer(() => this.#relist(), hasCode(err, 410) ? 0 : 500)
    }
  }

  // Replaces the cache with a fresh list, telling handlers what changed since the last one.
  #replace(items: KubeObject[]): void {
    const seen = new Set<string>()
    for (const obj of items) {
      const key = objectKey(obj.metadata)
      seen.add(key)
      this.#apply('ADDED', obj)
    }
    for (const [key, old] of [...this.#cache]) if (!seen.has(key)) this.#apply('DELETED', old)
  }

  #onEvent(ev: WatchEvent): void {
    if (ev.type === 'BOOKMARK') return
    this.#apply(ev.type, ev.object)
  }

  #apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void {
    const key = objectKey(obj.metadata)
    const old = this.#cache.get(key)
    if (type === 'DELETED') {
      this.#cache.delete(key)
      for (const h of this.#handlers) h.onDelete?.(obj)
      return
    }
    this.#cache.set(key, obj)
    if (old === undefined) for (const h of this.#handlers) h.onAdd?.(obj)
    else if (
      old.metadata.resourceVersion !== obj.metadata.resourceVersion ||
      old.metadata.uid !== obj.metadata.uid
    )
      for (const h of this.#handlers) h.onUpdate?.(old, obj)
  }
}

// One informer per resource, shared by all controllers of a run.
export class InformerSet {
  readonly #store: Store
  readonly #informers = new Map<ResourceName, Informer>()
  readonly #onError: (err: unknown) => void
  readonly #clock: Clock

  constructor(store: Store, onError: (err: unknown) => void, clock: Clock = realClock) {
    this.#store = store
    this.#onError = onError
    this.#clock = clock
  }

  // The informer for a resource, created on first use.
  for(resource: ResourceName): Informer {
    let inf = this.#informers.get(resource)
    if (!inf) {
      inf = new Informer(this.#store, resource, this.#onError, this.#clock)
      this.#informers.set(resource, inf)
    }
    return inf
  }

  // Starts every informer created so far.
  start(): void {
    for (const inf of this.#informers.values()) inf.start()
  }

  // Stops every informer.
  stop(): void {
    for (const inf of this.#informers.values()) inf.stop()
  }
}
