// The shape of a planned lab cluster: every name, address and CIDR, decided before anything is created.

/** One lab node: a network namespace on the lab bridge with its own pod bridge and pod CIDR. */
export interface LabNode {
  /** Kubernetes node name, kind-style: `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`. */
  name: string
  role: 'control-plane' | 'worker'
  /** Network namespace name (`svcnet-<cluster>-<runId>-<suffix>`). */
  netns: string
  /** The node's address on the lab network (172.18.0.2, .3, …). */
  ip: string
  /** The node's interface on the lab network, inside its namespace. */
  uplink: string
  /** This node's pod CIDR (10.244.N.0/24). */
  podCIDR: string
  /** The pod bridge inside the node namespace. */
  podBridge: string
  /** The bridge's address and pods' default gateway (10.244.N.1). */
  podGateway: string
}

/** The whole lab. */
export interface LabTopology {
  cluster: string
  /** Short random id of this `lab up`; part of every name. */
  runId: string
  /** Prefix of every namespace this lab creates: `svcnet-<cluster>-<runId>-`. */
  prefix: string
  /** The namespace holding the lab bridge (the "docker network"). */
  switchNetns: string
  /** The lab bridge's name inside switchNetns. */
  labBridge: string
  /** The lab network (172.18.0.0/16) and its prefix length. */
  labSubnet: string
  nodes: LabNode[]
  /** The outside client: a namespace on the lab network that is not a node (a user's laptop). */
  outside: { netns: string; ip: string; uplink: string }
  /**
   * LoadBalancer ingress IPs: `pool` (an inclusive range on the lab network) is what the load-balancer controller
   * hands out; the outside client routes `route` (a CIDR holding the pool) via the node address `via`, where
   * kube-proxy's rules for the IP take over (as a MetalLB speaker answering ARP on that node would bring them).
   */
  loadBalancer: { pool: string; route: string; via: string }
  /** 10.244.0.0/16 */
  clusterCIDR: string
  /** 10.96.0.0/16 */
  serviceCIDR: string
  /** Where nodes and pods reach the API server: the control-plane node's address, port 6443. */
  apiServer: { host: string; port: number }
  /** Host-side files of this lab (sockets, logs, kubeconfig): /run/svcnet/<cluster>-<runId>. */
  runDir: string
}
