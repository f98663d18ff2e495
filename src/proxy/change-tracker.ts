// Change trackers: what changed per Service since the last sync, with no-op updates dropped (pkg/proxy change trackers).
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node'
import { endpointsFromSlice, servicePortsFromService, sliceServiceName } from './snapshot.ts'
import { objectKey } from '../kube/object-key.ts'
import type { IPFamily } from './ip-family.ts'

/** A pending change of one key: its state at the last apply and now (serialized, for comparison). */
interface Pending {
  previous: string
  current: string
}

// Records {previous, current} per key; a key whose current equals previous is dropped.
class PendingChanges {
  readonly #pending = new Map<string, Pending>()
  // Records that key went from `before` to `after`; returns true when a real change is pending for it.
  record(key: string, before: string, after: string): boolean {
    const p = this.#pending.get(key) ?? { previous: before, current: before }
    p.current = after
    if (p.previous === p.current) this.#pending.delete(key)
    else this.#pending.set(key, p)
    return this.#pending.has(key)
  }
  // Returns the changed keys and forgets them.
  take(): Set<string> {
    const keys = new Set(this.#pending.keys())
    this.#pending.clear()
    return keys
  }
  get size(): number {
    return this.#pending.size
  }
}

// Tracks Services: current objects plus which Services changed in a way that matters to this family's proxy.
export class ServiceChangeTracker {
  readonly #objects = new Map<string, V1Service>()
  readonly #pending = new PendingChanges()
  readonly #family: IPFamily
  constructor(family: IPFamily = 'IPv4') {
    this.#family = family
  }
  // Records an add (previous undefined), update, or delete (current undefined); returns true if a change is pending.
  update(previous: V1Service | undefined, current: V1Service | undefined): boolean {
    const obj = current ?? previous
    if (!obj) return false
    const key = objectKey(obj.metadata)
    const before = JSON.stringify(servicePortsFromService(this.#objects.get(key) ?? {}, this.#family))
    if (current) this.#objects.set(key, current)
    else this.#objects.delete(key)
    const after = current ? servicePortsFromService(current, this.#family) : []
    return this.#pending.record(key, before, JSON.stringify(after))
  }
  // Returns the `ns/name` of every Service that changed since the last apply().
  apply(): Set<string> {
    return this.#pending.take()
  }
  get pendingCount(): number {
    return this.#pending.size
  }
  // The current Service objects.
  objects(): V1Service[] {
    return [...this.#objects.values()]
  }
  // The current Service `ns/name`, if any.
  get(key: string): V1Service | undefined {
    return this.#objects.get(key)
  }
  // Every Service key (`ns/name`).
  keys(): IterableIterator<string> {
    return this.#objects.keys()
  }
}

// Tracks EndpointSlices grouped by Service; a change counts when the Service's endpoints as seen from this node change.
export class EndpointsChangeTracker {
  readonly #nodeName: string
  readonly #family: IPFamily
  readonly #slices = new Map<string, Map<string, V1EndpointSlice>>()
  readonly #pending = new PendingChanges()
  constructor(nodeName: string, family: IPFamily = 'IPv4') {
    this.#nodeName = nodeName
    this.#family = family
  }
  // Records an add, update or delete of a slice; slices without the service-name label are ignored.
  update(previous: V1EndpointSlice | undefined, current: V1EndpointSlice | undefined): boolean {
    let changed = false
    const oldSvc = previous ? sliceServiceName(previous) : undefined
    const newSvc = current ? sliceServiceName(current) : undefined
    const obj = current ?? previous
    if (!obj) return false
    const name = objectKey(obj.metadata)
    if (oldSvc && oldSvc !== newSvc) changed = this.#set(oldSvc, name, undefined) || changed
    if (newSvc) changed = this.#set(newSvc, name, current) || changed
    return changed
  }
  // Replaces one slice of one service and records the service's endpoint change.
  #set(svc: string, slice: string, obj: V1EndpointSlice | undefined): boolean {
    const before = this.#describe(svc)
    const m = this.#slices.get(svc) ?? new Map<string, V1EndpointSlice>()
    if (obj) m.set(slice, obj)
    else m.delete(slice)
    if (m.size === 0) this.#slices.delete(svc)
    else this.#slices.set(svc, m)
    return this.#pending.record(svc, before, this.#describe(svc))
  }
  // A comparable description of a service's endpoints from this node's point of view.
  #describe(svc: string): string {
    const slices = [...(this.#slices.get(svc)?.entries() ?? [])].sort(([a], [b]) => a.localeCompare(b))
    return JSON.stringify(slices.map(([, s]) => [...endpointsFromSlice(s, this.#nodeName, this.#family)]))
  }
  // Returns the `ns/name` of every Service whose endpoints changed since the last apply().
  apply(): Set<string> {
    return this.#pending.take()
  }
  get pendingCount(): number {
    return this.#pending.size
  }
  // The current EndpointSlice objects.
  objects(): V1EndpointSlice[] {
    return [...this.#slices.values()].flatMap((m) => [...m.values()])
  }
  // The slices of one Service `ns/name`.
  slicesOf(service: string): V1EndpointSlice[] {
    return [...(this.#slices.get(service)?.values() ?? [])]
  }
  // Every Service key that has slices.
  services(): IterableIterator<string> {
    return this.#slices.keys()
  }
}
