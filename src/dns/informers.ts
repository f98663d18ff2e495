// Feeds the DNS index from the API server: one client-node ListWatch per resource (the proxy's startInformer).
import {
  CoreV1Api,
  DiscoveryV1Api,
  Watch,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node'
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

// Starts list+watch of Services, EndpointSlices, Namespaces, and Pods when `watchPods` (pods verified).
export function startDnsInformers(
  kc: KubeConfig,
  index: ClusterIndex,
  opts: { watchPods: boolean; log: (msg: string) => void; minBackoffMs?: number },
): RunningInformer[] {
  const core = kc.makeApiClient(CoreV1Api)
  const discovery = kc.makeApiClient(DiscoveryV1Api)
  const watch = new Watch(kc)
  const common = { watch, log: opts.log, minBackoffMs: opts.minBackoffMs }
  const out: RunningInformer[] = [
    startInformer({
      what: 'services',
      path: '/api/v1/services',
      list: () => core.listServiceForAllNamespaces(),
      handler: handlerFor(index, 'services'),
      ...common,
    }),
    startInformer({
      what: 'endpointslices',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      list: () => discovery.listEndpointSliceForAllNamespaces(),
      handler: handlerFor(index, 'endpointslices'),
      ...common,
    }),
    startInformer({
      what: 'namespaces',
      path: '/api/v1/namespaces',
      list: () => core.listNamespace(),
      handler: handlerFor(index, 'namespaces'),
      ...common,
    }),
  ]
  if (opts.watchPods)
    out.push(
      startInformer({
        what: 'pods',
        path: '/api/v1/pods',
        list: () => core.listPodForAllNamespaces(),
        handler: handlerFor(index, 'pods'),
        ...common,
      }),
    )
  return out
}
