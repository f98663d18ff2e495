// A service port's own nat chains: KUBE-EXT (external destinations), KUBE-FW (source ranges), KUBE-SVC / KUBE-SVL.
import { familyCidrContains, parseFamilyCidr } from '../ip-family.ts'
import type { EndpointInfo } from '../snapshot.ts'
import type { ServiceRenderContext } from './render-context.ts'
import { comment } from './rule-buffer.ts'
import type { ServicePortPlan } from './service-plan.ts'

// Probability of the i-th of n remaining endpoints, formatted like Go's %0.10f.
export function probability(remaining: number): string {
  return (1 / remaining).toFixed(10)
}

// Declares a per-service chain in the service buffer and marks it active (so stale-chain cleanup keeps it).
export function declareServiceChain(ctx: ServiceRenderContext, chain: string): void {
  ctx.serviceNat.chain(chain)
  ctx.activeNatChains.add(chain)
}

// The masquerade rule that opens the internal traffic chain: traffic to the cluster IP from outside the cluster
// (or all of it with --masquerade-all) must be SNATed, or replies from the pod would bypass this node's conntrack.
export function writeInternalMasquerade(ctx: ServiceRenderContext, plan: ServicePortPlan): void {
  if (!plan.hasInternalEndpoints) return
  const { svc } = plan
  const args = [
    '-A',
    plan.internalTrafficChain,
    ...comment(`${plan.name} cluster IP`),
    ...plan.match,
    '-d',
    svc.clusterIP,
    '--dport',
    plan.port,
  ]
  if (ctx.masqueradeAll) ctx.serviceNat.rule(...args, '-j KUBE-MARK-MASQ')
  else if (ctx.clusterCIDR) ctx.serviceNat.rule(...args, '! -s', ctx.clusterCIDR, '-j KUBE-MARK-MASQ')
  // Without a local detector nothing tells cluster traffic from outside traffic, so upstream writes no rule.
}

// KUBE-EXT: traffic to node ports, external IPs and LB IPs. Its rules depend on the external traffic policy.
export function writeExternalChain(ctx: ServiceRenderContext, plan: ServicePortPlan): void {
  if (!plan.usesExternalChain) return
  const out = ctx.serviceNat
  const ext = plan.chains.external
  declareServiceChain(ctx, ext)
  if (!plan.svc.externalPolicyLocal) {
    // eTP=Cluster: the endpoint may be on another node, so the reply must come back through us: masquerade all.
    out.rule(
      '-A',
      ext,
      ...comment(`masquerade traffic for ${plan.name} external destinations`),
      '-j KUBE-MARK-MASQ',
    )
  } else {
    // eTP=Local keeps the client's source IP, which only works for traffic from outside. Pods and the node itself
    // reaching an external IP / LB IP are short-circuited to the cluster-wide chain so they work on every node.
    if (ctx.clusterCIDR) {
      out.rule(
        '-A',
        ext,
        ...comment(`pod traffic for ${plan.name} external destinations`),
        '-s',
        ctx.clusterCIDR,
        '-j',
        plan.chains.cluster,
      )
    }
    // Traffic from the node itself has a node source IP that the pod could not answer directly: masquerade it.
    out.rule(
      '-A',
      ext,
      ...comment(`masquerade LOCAL traffic for ${plan.name} external destinations`),
      '-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
    )
    out.rule(
      '-A',
      ext,
      ...comment(`route LOCAL traffic for ${plan.name} external destinations`),
      '-m addrtype --src-type LOCAL -j',
      plan.chains.cluster,
    )
  }
  // Without local endpoints under eTP=Local the final jump is missing: outside traffic falls through to the
  // filter table's "has no local endpoints" DROP.
  if (plan.hasExternalEndpoints) out.rule('-A', ext, '-j', plan.externalPolicyChain)
}

// KUBE-FW: only sources in loadBalancerSourceRanges (and the node's own LB traffic) continue to KUBE-EXT.
export function writeFirewallChain(ctx: ServiceRenderContext, plan: ServicePortPlan): void {
  if (!plan.usesFirewallChain) return
  const out = ctx.serviceNat
  const fw = plan.chains.firewall
  declareServiceChain(ctx, fw)
  const allowed = comment(`${plan.name} loadbalancer IP`)
  let allowFromNode = false
  for (const cidr of plan.svc.loadBalancerSourceRanges) {
    out.rule('-A', fw, ...allowed, '-s', cidr, '-j', plan.chains.external)
    const range = parseFamilyCidr(cidr, ctx.ipFamily)
    if (ctx.nodeIP && range && familyCidrContains(range, ctx.nodeIP)) allowFromNode = true
  }
  // A VIP-like LB IP is often routed locally: a request from this node then loops back with the LB IP as its
  // source instead of reaching the LB. When the ranges admit the node, admit that traffic too.
  if (allowFromNode) {
    for (const lbIP of plan.svc.loadBalancerVIPs)
      out.rule('-A', fw, ...allowed, '-s', lbIP, '-j', plan.chains.external)
  }
  // The last rule is a no-op marker: everything else returns to KUBE-SERVICES unDNATed and filter KUBE-PROXY-FIREWALL
  // drops it (DROP is not allowed in the nat table).
  out.rule('-A', fw, ...comment(`other traffic to ${plan.name} will be dropped by KUBE-PROXY-FIREWALL`))
}

// KUBE-SVC / KUBE-SVL: session-affinity checks, then one random jump per endpoint (n-1 probabilities, last unconditional).
export function writePolicyChain(
  ctx: ServiceRenderContext,
  plan: ServicePortPlan,
  chain: string,
  eps: readonly EndpointInfo[],
): void {
  const out = ctx.serviceNat
  const { svc, name } = plan
  declareServiceChain(ctx, chain)
  // Above 1000 endpoints the per-endpoint comments are dropped to keep the payload small (as upstream).
  const epComment = (ep: EndpointInfo) => (ctx.largeCluster ? [] : comment(`${name} -> ${ep.endpoint}`))
  if (svc.affinitySeconds !== undefined) {
    // A client seen recently (the SEP chain's `recent --set` list) goes back to the same endpoint.
    for (const ep of eps) {
      const sep = plan.sepChains.get(ep.endpoint)!
      out.rule(
        '-A',
        chain,
        ...epComment(ep),
        '-m recent --name',
        sep,
        '--rcheck --seconds',
        String(svc.affinitySeconds),
        '--reap -j',
        sep,
      )
    }
  }
  // Endpoint i of n is taken with probability 1/(n-i): uniform overall.
  eps.forEach((ep, i) => {
    const sep = plan.sepChains.get(ep.endpoint)!
    const stat =
      i < eps.length - 1 ? ['-m statistic --mode random --probability', probability(eps.length - i)] : []
    out.rule('-A', chain, ...epComment(ep), ...stat, '-j', sep)
  })
}
