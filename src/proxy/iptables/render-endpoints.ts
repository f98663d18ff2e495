// KUBE-SEP chains: one per endpoint this node may send the service port's traffic to.
import type { ServiceRenderContext } from './render-context.ts'
import { comment } from './rule-buffer.ts'
import { declareServiceChain } from './render-service-chains.ts'
import type { ServicePortPlan } from './service-plan.ts'

// Writes the SEP chain of every locally reachable endpoint: hairpin masquerade, then DNAT (recording affinity).
export function writeEndpointChains(ctx: ServiceRenderContext, plan: ServicePortPlan): void {
  const out = ctx.serviceNat
  const { svc, name } = plan
  const epComment = ctx.largeCluster ? [] : comment(name)
  for (const ep of plan.endpoints.allReachable) {
    const sep = plan.sepChains.get(ep.endpoint)!
    declareServiceChain(ctx, sep)
    // Hairpin: a pod reaching itself through the service must be SNATed, or it would answer itself directly.
    out.rule('-A', sep, ...epComment, '-s', ep.ip, '-j KUBE-MARK-MASQ')
    // With ClientIP affinity the DNAT rule also records the client in this endpoint's `recent` list.
    const affinity = svc.affinitySeconds !== undefined ? ['-m recent --name', sep, '--set'] : []
    out.rule('-A', sep, ...epComment, ...affinity, ...plan.match, '-j DNAT --to-destination', ep.endpoint)
  }
}
