// The handler interface informers call and the proxier implements (upstream config.ServiceHandler and friends).

/** Callbacks for one resource kind: object events, then onSynced once after the first complete list. */
export interface ResourceHandler<T> {
  onAdd(obj: T): void
  onUpdate(oldObj: T, newObj: T): void
  onDelete(obj: T): void
  onSynced(): void
}
