// The proxy's informers (src/kube/informer.ts) on Services, EndpointSlices and the proxy's own Node.
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node'
import type { ApiClient } from '../kube/api-client.ts'
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
  client: ApiClient,
  handlers: ProxyHandlers,
  log: (msg: string) => void,
): RunningInformer[] {
  const nodeName = handlers.nodeName
  return [
    startInformer<V1Service>({
      what: 'services',
      client,
      path: '/api/v1/services',
      handler: handlers.services,
      log,
    }),
    startInformer<V1EndpointSlice>({
      what: 'endpointslices',
      client,
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      handler: handlers.endpointSlices,
      log,
    }),
    startInformer<V1Node>({
      what: `node ${nodeName}`,
      client,
      path: '/api/v1/nodes',
      fieldSelector: `metadata.name=${nodeName}`,
      handler: handlers.nodes,
      log,
    }),
  ]
}
