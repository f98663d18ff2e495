// What one service port gets on this node: which endpoints, which chains, and where each capture rule jumps.
import {
  categorizeEndpoints,
  externallyAccessible,
  usesClusterEndpoints,
  usesLocalEndpoints,
  type CategorizedEndpoints,
} from '../categorize.ts'
import type { EndpointInfo, ServicePortInfo } from '../snapshot.ts'
import { endpointChainName, serviceChainNames, type ServiceChains } from './chain-names.ts'

/** Decisions about one service port, taken once and read by every chain writer. */
export interface ServicePortPlan {
  svc: ServicePortInfo
  /** ServicePortName string `ns/svc[:port]`, the text of every comment. */
  name: string
  /** `-m P -p P` with the lower-case protocol. */
  match: string[]
  /** The service port as text, for `--dport`. */
  port: string
  chains: ServiceChains
  endpoints: CategorizedEndpoints
  /** KUBE-SEP chain name per `ip:port` of every locally reachable endpoint (each hashed once). */
  sepChains: ReadonlyMap<string, string>
  /** The service has usable endpoints on some node (upstream hasEndpoints). */
  hasEndpoints: boolean
  /** Traffic to the cluster IP has somewhere to go from this node (false for iTP=Local without local endpoints). */
  hasInternalEndpoints: boolean
  /** External traffic has somewhere to go from this node (false for eTP=Local without local endpoints). */
  hasExternalEndpoints: boolean
  /** KUBE-SVC for iTP=Cluster, KUBE-SVL for iTP=Local: where cluster-IP traffic goes. */
  internalTrafficChain: string
  /** KUBE-SVC for eTP=Cluster, KUBE-SVL for eTP=Local: where KUBE-EXT finally sends traffic. */
  externalPolicyChain: string
  /** KUBE-FW when source ranges restrict the LB IPs, else KUBE-EXT. */
  loadBalancerTrafficChain: string
  usesClusterChain: boolean
  usesLocalChain: boolean
  usesExternalChain: boolean
  usesFirewallChain: boolean
  /** What the filter table does with traffic that has no endpoint: REJECT (none at all) or DROP (none local). */
  noEndpointsTarget: 'REJECT' | 'DROP'
  noEndpointsComment: string
}

// Decides everything about one service port's rules from the port and its endpoints (pure).
export function planServicePort(svc: ServicePortInfo, endpoints: readonly EndpointInfo[]): ServicePortPlan {
  const proto = svc.protocol.toLowerCase()
  const chains = serviceChainNames(svc.name, proto)
  const categorized = categorizeEndpoints(endpoints, svc)
  const { cluster, local, hasAny } = categorized
  // A Local policy with no local endpoint means this node has nowhere to send the traffic, even when other nodes do.
  const hasInternalEndpoints = hasAny && !(svc.internalPolicyLocal && local.length === 0)
  const hasExternalEndpoints = hasAny && !(svc.externalPolicyLocal && local.length === 0)
  // Source ranges only matter when there are LB IPs to protect; without endpoints the filter table rejects anyway.
  const usesFirewallChain =
    hasAny && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0
  // "No endpoints" (REJECT: fail fast) differs from "none on this node" (DROP: the client's LB should pick another node).
  const noEndpoints = !hasAny
  return {
    svc,
    name: svc.name,
    match: ['-m', proto, '-p', proto],
    port: String(svc.port),
    chains,
    endpoints: categorized,
    sepChains: new Map(
      categorized.allReachable.map((ep) => [ep.endpoint, endpointChainName(svc.name, proto, ep.endpoint)]),
    ),
    hasEndpoints: hasAny,
    hasInternalEndpoints,
    hasExternalEndpoints,
    internalTrafficChain: svc.internalPolicyLocal ? chains.local : chains.cluster,
    externalPolicyChain: svc.externalPolicyLocal ? chains.local : chains.cluster,
    loadBalancerTrafficChain: usesFirewallChain ? chains.firewall : chains.external,
    usesClusterChain: cluster.length > 0 && usesClusterEndpoints(svc),
    usesLocalChain: local.length > 0 && usesLocalEndpoints(svc),
    usesExternalChain: hasAny && externallyAccessible(svc),
    usesFirewallChain,
    noEndpointsTarget: noEndpoints ? 'REJECT' : 'DROP',
    noEndpointsComment: noEndpoints ? `${svc.name} has no endpoints` : `${svc.name} has no local endpoints`,
  }
}
