// The kind cluster config (kind.x-k8s.io/v1alpha4) and the node container names kind gives that config.
import { stringify } from 'yaml'
import type { KindOptions } from './options.ts'

/** The networks the kind cluster uses; the svcnet-cluster ConfigMap and the kube-dns address follow from them. */
export const KIND_NETWORKING = {
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/16',
  /** The kube-dns Service address every kubelet writes into pods' resolv.conf (10th address of the subnet). */
  dnsServiceIP: '10.96.0.10',
  /** The docker network kind puts every node container on. */
  dockerNetwork: 'kind',
} as const

// kind's cluster config: kube-proxy off when svcnet's proxy is under test, iptables mode when upstream's is.
export function renderKindConfig(o: KindOptions): string {
  const nodes = [
    ...Array.from({ length: o.controlPlanes }, () => ({ role: 'control-plane' })),
    ...Array.from({ length: o.workers }, () => ({ role: 'worker' })),
  ]
  return stringify({
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: {
      kubeProxyMode: o.proxy === 'svcnet' ? 'none' : 'iptables',
      podSubnet: KIND_NETWORKING.podSubnet,
      serviceSubnet: KIND_NETWORKING.serviceSubnet,
    },
    nodes,
  })
}

// The node (= container) names kind gives: <c>-control-plane, <c>-control-plane2…, <c>-worker, <c>-worker2…
export function kindNodeNames(o: Pick<KindOptions, 'cluster' | 'controlPlanes' | 'workers'>): string[] {
  const numbered = (base: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${o.cluster}-${base}${i === 0 ? '' : String(i + 1)}`)
  return [...numbered('control-plane', o.controlPlanes), ...numbered('worker', o.workers)]
}
