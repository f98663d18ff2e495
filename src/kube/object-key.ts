// The `namespace/name` key of an API object (just `name` when it is cluster-scoped), and back.

/** What a key is made of: an object's metadata (or the object itself, whose metadata is read). */
export interface KeyedMeta {
  namespace?: string
  name?: string
}

// The key of an object's metadata: `namespace/name`, or `name` for a cluster-scoped object.
export function objectKey(meta: KeyedMeta | undefined): string {
  return namespacedName(meta?.namespace ?? '', meta?.name ?? '')
}

// The key of a namespace and a name: `namespace/name`, or `name` when the namespace is empty.
export function namespacedName(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name
}

// Splits a key back into its namespace ('' when cluster-scoped) and name.
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/')
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) }
}
