// Shared informers over the in-process store: list, then watch from the list's resourceVersion,
// keep a cache with indexes, re-list on 410 Gone, and call handlers with the old and new object.
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

/** The values an object is filed under in one index (e.g. its namespace, the uids of its owners). */
export type IndexFunc = (obj: KubeObject) => readonly string[]

// The index every informer keeps: objects by namespace ('' for cluster-scoped ones).
export const NAMESPACE_INDEX = 'namespace'
// An index of objects by the uid of each owner in metadata.ownerReferences.
export const OWNER_INDEX = 'owner'
// An index of objects by the uid of their controller (the owner reference with controller=true).
export const CONTROLLER_INDEX = 'controller'

// The index functions behind the index names above.
export const INDEX_FUNCS: Readonly<Record<string, IndexFunc>> = {
  [NAMESPACE_INDEX]: (o) => [o.metadata.namespace ?? ''],
  [OWNER_INDEX]: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
  [CONTROLLER_INDEX]: (o) => (o.metadata.ownerReferences ?? []).filter((r) => r.controller).map((r) => r.uid),
}

interface Index {
  fn: IndexFunc
  byValue: Map<string, Map<string, KubeObject>>
}

// Watches one resource cluster-wide and fans its changes out to handlers. The store delivers events
// synchronously, so when a reconcile runs (never inside a store callback) the cache is as current as the store.
// Objects from list(), get() and byIndex() are shared with every controller: read them, never mutate them.
export class Informer {
  readonly resource: ResourceName
  readonly #store: Store
  readonly #cache = new Map<string, KubeObject>()
  readonly #indexes = new Map<string, Index>()
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
    this.addIndex(NAMESPACE_INDEX)
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

  // The cached object with this `namespace/name` key (or `name`), if any.
  get(key: string): KubeObject | undefined {
    return this.#cache.get(key)
  }

  // Keeps an index: one of INDEX_FUNCS by name, or a name and its own function. Idempotent per name (the first
  // function wins); the cache so far is filed at once.
  addIndex(name: string, indexFunc?: IndexFunc): void {
    if (this.#indexes.has(name)) return
    const fn = indexFunc ?? INDEX_FUNCS[name]
    if (!fn) throw new TypeError(`unknown informer index ${JSON.stringify(name)}`)
    const index: Index = { fn, byValue: new Map() }
    this.#indexes.set(name, index)
    for (const [key, obj] of this.#cache) file(index, key, obj)
  }

  // The cached objects filed under a value of an index (the namespace index always exists).
  byIndex(name: string, value: string): KubeObject[] {
    const index = this.#indexes.get(name)
    if (!index) throw new Error(`informer ${this.resource} has no index ${JSON.stringify(name)}`)
    const objs = index.byValue.get(value)
    return objs ? [...objs.values()] : []
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
    for (const index of this.#indexes.values()) if (old) unfile(index, key, old)
    if (type === 'DELETED') {
      this.#cache.delete(key)
      for (const h of this.#handlers) h.onDelete?.(obj)
      return
    }
    this.#cache.set(key, obj)
    for (const index of this.#indexes.values()) file(index, key, obj)
    if (old === undefined) for (const h of this.#handlers) h.onAdd?.(obj)
    else if (
      old.metadata.resourceVersion !== obj.metadata.resourceVersion ||
      old.metadata.uid !== obj.metadata.uid
    )
      for (const h of this.#handlers) h.onUpdate?.(old, obj)
  }
}

function file(index: Index, key: string, obj: KubeObject): void {
  for (const v of index.fn(obj)) {
    let objs = index.byValue.get(v)
    if (!objs) index.byValue.set(v, (objs = new Map()))
    objs.set(key, obj)
  }
}

function unfile(index: Index, key: string, obj: KubeObject): void {
  for (const v of index.fn(obj)) {
    const objs = index.byValue.get(v)
    objs?.delete(key)
    if (objs?.size === 0) index.byValue.delete(v)
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
