// Plans a lab: every name, address and CIDR decided from the config alone (pure, no IO).
import { randomBytes } from 'node:crypto'
import type { LabNode, LabTopology } from './topology.ts'
import { DNS_LABEL_PATTERN, RUN_ID_PATTERN, labPrefix, nodeSuffix, runDirFor } from '../names.ts'

// The steps that build a planned lab (re-exported so a plan and its actions come from one module).
export { planActions, formatActions, type Action } from './actions.ts'

/** What `svcnet lab up` is asked for. */
export interface LabConfig {
  /** Cluster name, a DNS label; part of every node and namespace name. @default 'svcnet' */
  cluster: string
  /** Worker nodes besides the control plane (0–20). @default 2 */
  workers: number
  /** Run id (4–6 lowercase hex); a random one when absent. */
  runId?: string
}

/** The default lab: cluster `svcnet`, one control plane and two workers. */
export const DEFAULT_LAB_CONFIG: Readonly<LabConfig> = { cluster: 'svcnet', workers: 2 }

/** Longest cluster name: `<cluster>-control-plane` must stay a 63-character hostname with room to spare. */
export const MAX_CLUSTER_NAME = 40
/** Most worker nodes a lab can have. */
export const MAX_WORKERS = 20

/** The lab network (the "docker network" kind nodes sit on). */
export const LAB_SUBNET = '172.18.0.0/16'
/** The outside client's address: on the lab network, off the node range (.2–.22). */
export const OUTSIDE_IP = '172.18.0.100'
/** LoadBalancer ingress IPs the lab hands out: the top of the lab network, far from nodes and the outside client. */
export const LOAD_BALANCER_POOL = '172.18.255.200-172.18.255.250'
/** The CIDR the outside client routes to a node for the pool (172.18.255.192–255). */
export const LOAD_BALANCER_ROUTE = '172.18.255.192/26'
/** Pod network of the whole cluster; node N gets 10.244.N.0/24. */
export const CLUSTER_CIDR = '10.244.0.0/16'
/** Service ClusterIP range. */
export const SERVICE_CIDR = '10.96.0.0/16'
/** The lab bridge inside the switch namespace. */
export const LAB_BRIDGE = 'svcnet-br0'
/** API server port on the control-plane node. */
export const API_SERVER_PORT = 6443

// Thrown by planLab when the config is invalid; lists every problem at once.
export class LabConfigError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`invalid lab config:\n  - ${problems.join('\n  - ')}`)
    this.name = 'LabConfigError'
    this.problems = problems
  }
}

// Returns every problem with a lab config (empty when it is valid).
export function validateLabConfig(config: Partial<LabConfig>): string[] {
  const problems: string[] = []
  const { cluster, workers, runId } = config
  if (typeof cluster !== 'string' || !DNS_LABEL_PATTERN.test(cluster)) {
    problems.push(
      `cluster: must be a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit), got ${JSON.stringify(cluster)}`,
    )
  }
  if (typeof cluster === 'string' && cluster.length > MAX_CLUSTER_NAME) {
    problems.push(
      `cluster: must be at most ${MAX_CLUSTER_NAME} characters so that node names fit a hostname, got ${cluster.length} ("${cluster}")`,
    )
  }
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
    problems.push(`workers: must be an integer from 0 to ${MAX_WORKERS}, got ${JSON.stringify(workers)}`)
  }
  if (runId !== undefined && (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId))) {
    problems.push(`runId: must be 4 to 6 lowercase hex characters, got ${JSON.stringify(runId)}`)
  }
  return problems
}

// A fresh random run id: 6 lowercase hex characters.
export function newRunId(): string {
  return randomBytes(3).toString('hex')
}

// Plans the lab for a config and run id; throws LabConfigError listing every problem.
export function planLab(config: LabConfig, runId: string): LabTopology {
  const problems = validateLabConfig({ ...config, runId })
  if (problems.length > 0) throw new LabConfigError(problems)
  const { cluster, workers } = config
  const prefix = labPrefix(cluster, runId)
  const nodes: LabNode[] = []
  for (let i = 0; i <= workers; i++) {
    const role = i === 0 ? 'control-plane' : 'worker'
    const suffix = nodeSuffix(role, i)
    nodes.push({
      name: `${cluster}-${suffix}`,
      role,
      netns: `${prefix}${suffix}`,
      ip: `172.18.0.${i + 2}`,
      uplink: 'eth0',
      podCIDR: `10.244.${i}.0/24`,
      podBridge: 'cni0',
      podGateway: `10.244.${i}.1`,
    })
  }
  return {
    cluster,
    runId,
    prefix,
    switchNetns: `${prefix}switch`,
    labBridge: LAB_BRIDGE,
    labSubnet: LAB_SUBNET,
    nodes,
    outside: { netns: `${prefix}outside`, ip: OUTSIDE_IP, uplink: 'eth0' },
    // The first worker takes LoadBalancer traffic (the control plane when there is none).
    loadBalancer: { pool: LOAD_BALANCER_POOL, route: LOAD_BALANCER_ROUTE, via: (nodes[1] ?? nodes[0]!).ip },
    clusterCIDR: CLUSTER_CIDR,
    serviceCIDR: SERVICE_CIDR,
    apiServer: { host: nodes[0]!.ip, port: API_SERVER_PORT },
    runDir: runDirFor(cluster, runId),
  }
}
