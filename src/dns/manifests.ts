// Builds a DnsIndex from manifests (src/kube/manifests.ts), for `dns query`, `dns serve -f` and benchmarks.
import { readObjects } from '../kube/manifests.ts'
import { ALL_KINDS, ClusterIndex, type IndexedKind } from './cluster-index.ts'

const KINDS: Record<string, IndexedKind> = {
  Service: 'services',
  EndpointSlice: 'endpointslices',
  Pod: 'pods',
  Namespace: 'namespaces',
}

/** An object read from a manifest, with the index kind it feeds. */
export interface ManifestObject {
  kind: IndexedKind
  obj: { metadata?: { name?: string; namespace?: string } }
}

// Reads Namespaces, Services, EndpointSlices and Pods from manifest text; other kinds are ignored.
export function readDnsObjects(text: string, source: string): ManifestObject[] {
  const out: ManifestObject[] = []
  for (const obj of readObjects(text, source)) {
    const kind = obj.kind ? KINDS[obj.kind] : undefined
    if (kind) out.push({ kind, obj })
  }
  return out
}

// A synced index of the objects; every namespace an object lives in counts as existing, as it must in a cluster.
export function indexFromObjects(objects: ManifestObject[], now?: () => number): ClusterIndex {
  const index = new ClusterIndex({ now })
  const namespaces = new Set<string>()
  for (const { kind, obj } of objects) {
    if (kind !== 'namespaces') namespaces.add(obj.metadata?.namespace ?? 'default')
  }
  for (const name of namespaces) index.upsert('namespaces', { metadata: { name } })
  for (const { kind, obj } of objects) index.upsert(kind, obj)
  for (const kind of ALL_KINDS) index.markSynced(kind)
  return index
}
