// Feeds the DNS index from the API server: one informer (src/kube/informer.ts) per resource.
import type { KubernetesObject } from '@kubernetes/client-node'
import type { ApiClient } from '../kube/api-client.ts'
import { startInformer, type RunningInformer } from '../kube/informer.ts'
import type { ClusterIndex, IndexedKind } from './cluster-index.ts'

// Handlers that keep one resource of the index.
function handlerFor(index: ClusterIndex, kind: IndexedKind) {
  return {
    onAdd: (o: KubernetesObject) => index.upsert(kind, o),
    onUpdate: (_old: KubernetesObject, o: KubernetesObject) => index.upsert(kind, o),
    onDelete: (o: KubernetesObject) => index.remove(kind, o),
    onSynced: () => index.markSynced(kind),
  }
}

const WATCHED: { kind: IndexedKind; path: string }[] = [
  { kind: 'services', path: '/api/v1/services' },
  { kind: 'endpointslices', path: '/apis/discovery.k8s.io/v1/endpointslices' },
  { kind: 'namespaces', path: '/api/v1/namespaces' },
  { kind: 'pods', path: '/api/v1/pods' },
]

// Starts list+watch of Services, EndpointSlices, Namespaces, and Pods when `watchPods` (pods verified).
export function startDnsInformers(
  client: ApiClient,
  index: ClusterIndex,
  opts: { watchPods: boolean; log: (msg: string) => void; minBackoffMs?: number },
): RunningInformer[] {
  return WATCHED.filter((w) => w.kind !== 'pods' || opts.watchPods).map((w) =>
    startInformer({
      what: w.kind,
      client,
      path: w.path,
      handler: handlerFor(index, w.kind),
      log: opts.log,
      minBackoffMs: opts.minBackoffMs,
    }),
  )
}
