// The contract of the in-memory object store behind the lab API server; controllers and the lab kubelet use it in-process.
import type { V1ObjectMeta } from '@kubernetes/client-node'

/** Resources the lab API server serves (plural, lower case, as in URLs). */
export type ResourceName =
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'services'
  | 'endpoints'
  | 'configmaps'
  | 'events'
  | 'serviceaccounts'
  | 'endpointslices'
  | 'deployments'
  | 'replicasets'
  | 'daemonsets'
  | 'clusterroles'
  | 'clusterrolebindings'

/** Any Kubernetes object as stored: apiVersion, kind, metadata, and the rest. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: V1ObjectMeta
  [field: string]: unknown
}

/** A watch event as streamed to clients. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'
  object: KubeObject
}

/** Filters for list and watch. */
export interface ListOptions {
  /** Only objects in this namespace (namespaced resources); all namespaces when absent. */
  namespace?: string
  /** A label selector in the API's string form: `app=web,tier!=db,env in (a,b),!legacy`. */
  labelSelector?: string
  /** A field selector: `metadata.name=x`, `spec.nodeName=worker`, `status.phase!=Running`. */
  fieldSelector?: string
}

/** Options for delete. */
export interface DeleteOptions {
  /** Pods on a node and namespaces are deleted gracefully unless this is 0. */
  gracePeriodSeconds?: number
  /** Background (default), Foreground or Orphan: what happens to objects this one owns. */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'
}

/**
 * The object store. Every write runs the same admission as a real API server (defaults, validation,
 * ClusterIP/NodePort allocation) and throws StatusError (404/409/410/422) on failure. Every write bumps
 * one global resourceVersion; watchers see events in order.
 */
export interface Store {
  // Reads one object, or undefined.
  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined
  // Lists objects matching the options, with the store's current resourceVersion.
  list(resource: ResourceName, opts?: ListOptions): { items: KubeObject[]; resourceVersion: string }
  // Creates an object (generateName honoured); returns it as stored.
  create(resource: ResourceName, obj: KubeObject): KubeObject
  // Replaces an object; if obj.metadata.resourceVersion is set and stale, throws 409 Conflict.
  // With subresource 'status' only .status changes; otherwise .status is kept from the stored object.
  update(resource: ResourceName, obj: KubeObject, opts?: { subresource?: 'status' | 'scale' }): KubeObject
  // Deletes (or marks for graceful deletion) an object; returns the object as it was deleted or marked.
  delete(
    resource: ResourceName,
    namespace: string | undefined,
    name: string,
    opts?: DeleteOptions,
  ): KubeObject
  // Streams events after resourceVersion (or from now, when absent); returns a function that stops the watch.
  // Throws a 410 StatusError when resourceVersion is older than the store's history window.
  watch(
    resource: ResourceName,
    opts: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
  ): () => void
}
