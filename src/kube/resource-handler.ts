// The handler interface informers call and their consumers implement (upstream's config.ServiceHandler and friends).

/** Callbacks for one resource kind: object events, then onSynced once after the first complete list. */
export interface ResourceHandler<T> {
  onAdd(obj: T): void
  onUpdate(oldObj: T, newObj: T): void
  onDelete(obj: T): void
  onSynced(): void
}
