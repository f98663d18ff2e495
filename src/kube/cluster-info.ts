// The kube-system/svcnet-cluster ConfigMap that deploy/'s kube-proxy and DNS pods read their API server and CIDRs from.
import type { KubernetesObject } from '@kubernetes/client-node'

/** What a provider tells svcnet's pods about its cluster. */
export interface ClusterInfo {
  /** The API server as nodes reach it without a Service (`https://<control-plane IP>:6443`). */
  apiserver: string
  clusterCIDR: string
  serviceCIDR: string
  /** `none`: the DNS answers SERVFAIL for outside names; absent: it forwards to the node's resolvers. */
  dnsUpstream?: string
  /** The kube-proxies' --min-sync-period (a Go duration). @default '1s' (upstream's) */
  minSyncPeriod?: string
}

// The ConfigMap object (the same keys the lab writes; deploy/*.yaml reference them by name).
export function clusterInfoConfigMap(info: ClusterInfo): KubernetesObject & { data: Record<string, string> } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'svcnet-cluster',
      namespace: 'kube-system',
      labels: { 'app.kubernetes.io/part-of': 'svcnet' },
    },
    data: {
      apiserver: info.apiserver,
      clusterCIDR: info.clusterCIDR,
      serviceCIDR: info.serviceCIDR,
      minSyncPeriod: info.minSyncPeriod ?? '1s',
      ...(info.dnsUpstream ? { dnsUpstream: info.dnsUpstream } : {}),
    },
  }
}
