// The table of resources the lab API server serves: kind, group/version, scope, short names, subresources.
import type { ResourceName } from './store.ts'

/** What the API server knows about one resource. */
export interface ResourceInfo {
  resource: ResourceName
  kind: string
  /** '' for the core group. */
  group: string
  version: string
  /** `v1`, `apps/v1`, `discovery.k8s.io/v1`. */
  apiVersion: string
  namespaced: boolean
  shortNames: string[]
  categories: string[]
  /** Subresources served under this resource (status, scale, log). */
  subresources: string[]
}

function info(
  resource: ResourceName,
  kind: string,
  group: string,
  namespaced: boolean,
  shortNames: string[],
  categories: string[],
  subresources: string[],
): ResourceInfo {
  const version = 'v1'
  return {
    resource,
    kind,
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    namespaced,
    shortNames,
    categories,
    subresources,
  }
}

// Every resource the lab serves, keyed by its plural name.
export const RESOURCES: Readonly<Record<ResourceName, ResourceInfo>> = {
  namespaces: info('namespaces', 'Namespace', '', false, ['ns'], [], ['status']),
  nodes: info('nodes', 'Node', '', false, ['no'], [], ['status']),
  pods: info('pods', 'Pod', '', true, ['po'], ['all'], ['status', 'log']),
  services: info('services', 'Service', '', true, ['svc'], ['all'], ['status']),
  endpoints: info('endpoints', 'Endpoints', '', true, ['ep'], [], []),
  configmaps: info('configmaps', 'ConfigMap', '', true, ['cm'], [], []),
  events: info('events', 'Event', '', true, ['ev'], [], []),
  serviceaccounts: info('serviceaccounts', 'ServiceAccount', '', true, ['sa'], [], []),
  endpointslices: info('endpointslices', 'EndpointSlice', 'discovery.k8s.io', true, [], [], []),
  deployments: info('deployments', 'Deployment', 'apps', true, ['deploy'], ['all'], ['status', 'scale']),
  replicasets: info('replicasets', 'ReplicaSet', 'apps', true, ['rs'], ['all'], ['status', 'scale']),
  daemonsets: info('daemonsets', 'DaemonSet', 'apps', true, ['ds'], ['all'], ['status']),
  // Stored so that deploy/ manifests apply unchanged everywhere; the lab does not enforce RBAC.
  clusterroles: info('clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io', false, [], [], []),
  clusterrolebindings: info(
    'clusterrolebindings',
    'ClusterRoleBinding',
    'rbac.authorization.k8s.io',
    false,
    [],
    [],
    [],
  ),
}

// The resource info for a plural name, or undefined when the lab does not serve it.
export function resourceInfo(resource: string): ResourceInfo | undefined {
  return Object.hasOwn(RESOURCES, resource) ? RESOURCES[resource as ResourceName] : undefined
}
