// The proxy's informers (src/kube/informer.ts) on Services, EndpointSlices and the proxy's own Node.
import { CoreV1Api, DiscoveryV1Api, Watch, type KubeConfig } from '@kubernetes/client-node'
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node'
import { startInformer, type RunningInformer } from '../kube/informer.ts'
import type { ResourceHandler } from '../kube/resource-handler.ts'

/** Handlers for the three resources the proxy watches, and the node whose Node object is watched. */
export interface ProxyHandlers {
  nodeName: string
  services: ResourceHandler<V1Service>
  endpointSlices: ResourceHandler<V1EndpointSlice>
  nodes: ResourceHandler<V1Node>
}

// Starts informers for all Services, all EndpointSlices and the proxy's own Node.
export function startProxyInformers(
  kc: KubeConfig,
  handlers: ProxyHandlers,
  log: (msg: string) => void,
): RunningInformer[] {
  const nodeName = handlers.nodeName
  const core = kc.makeApiClient(CoreV1Api)
  const discovery = kc.makeApiClient(DiscoveryV1Api)
  const watch = new Watch(kc)
  const nodeSelector = `metadata.name=${nodeName}`
  return [
    startInformer<V1Service>({
      what: 'services',
      path: '/api/v1/services',
      list: () => core.listServiceForAllNamespaces(),
      watch,
      handler: handlers.services,
      log,
    }),
    startInformer<V1EndpointSlice>({
      what: 'endpointslices',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      list: () => discovery.listEndpointSliceForAllNamespaces(),
      watch,
      handler: handlers.endpointSlices,
      log,
    }),
    startInformer<V1Node>({
      what: `node ${nodeName}`,
      path: '/api/v1/nodes',
      list: () => core.listNode({ fieldSelector: nodeSelector }),
      fieldSelector: nodeSelector,
      watch,
      handler: handlers.nodes,
      log,
    }),
  ]
}
