// The admission contract: per-resource hooks that default, validate and allocate before the store writes.
import type { KubeObject, ResourceName } from './store.ts'

/** Hooks for one resource. Each may mutate the object and throws StatusError (422…) to reject it. */
export interface AdmissionHook {
  /** Before a create is stored (after name/namespace checks). Allocations made here must be undone by `release`. */
  create?(obj: KubeObject): void
  /** Before an update is stored; `old` is the stored object. Must not leave allocations behind when it throws. */
  update?(obj: KubeObject, old: KubeObject): void
  /** After an object is finally removed from the store: release what it holds (IPs, ports). */
  release?(obj: KubeObject): void
}

/** Admission hooks by resource; resources without an entry are stored as given. */
export type Admission = Partial<Record<ResourceName, AdmissionHook>>
