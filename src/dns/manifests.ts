// Builds a DnsIndex from manifests (multi-document YAML; List kinds expanded), for `dns query` and benchmarks.
import { parseAllDocuments } from 'yaml'
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

// Reads Namespaces, Services, EndpointSlices and Pods from YAML text; other kinds are ignored.
export function readDnsObjects(text: string, source: string): ManifestObject[] {
  const out: ManifestObject[] = []
  const visit = (obj: unknown) => {
    if (!obj || typeof obj !== 'object') return
    const o = obj as { kind?: string; items?: unknown[] }
    const kind = o.kind ? KINDS[o.kind] : undefined
    if (kind) out.push({ kind, obj: obj as ManifestObject['obj'] })
    else if (o.kind?.endsWith('List') && Array.isArray(o.items)) o.items.forEach(visit)
  }
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length)
      throw new Error(`${source}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`)
    visit(doc.toJS())
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
