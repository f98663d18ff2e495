// The rules of one service port, in upstream syncProxyRules' order: captures first (always written, even for
// unchanged services in a partial sync), then the per-service chains (only for changed services).
import type { EndpointInfo, ServicePortInfo } from '../snapshot.ts'
import type { ServiceRenderContext } from './render-context.ts'
import { writeCaptures } from './render-captures.ts'
import { writeEndpointChains } from './render-endpoints.ts'
import {
  writeExternalChain,
  writeFirewallChain,
  writeInternalMasquerade,
  writePolicyChain,
} from './render-service-chains.ts'
import { planServicePort } from './service-plan.ts'

/** What one service port contributed to the no-local-endpoints metric. */
export interface ServiceRenderResult {
  noLocalInternal: boolean
  noLocalExternal: boolean
}

// Writes every rule of one service port into the context's buffers.
export function renderServicePort(
  ctx: ServiceRenderContext,
  svc: ServicePortInfo,
  endpoints: readonly EndpointInfo[],
): ServiceRenderResult {
  const plan = planServicePort(svc, endpoints)
  writeCaptures(ctx, plan)
  // A service with no endpoints anywhere has only filter rules: no nat chain at all.
  if (plan.hasEndpoints) {
    // Upstream's order: the internal chain's masquerade rule, KUBE-EXT, KUBE-FW, KUBE-SVC, KUBE-SVL, KUBE-SEP.
    writeInternalMasquerade(ctx, plan)
    writeExternalChain(ctx, plan)
    writeFirewallChain(ctx, plan)
    if (plan.usesClusterChain) writePolicyChain(ctx, plan, plan.chains.cluster, plan.endpoints.cluster)
    if (plan.usesLocalChain) writePolicyChain(ctx, plan, plan.chains.local, plan.endpoints.local)
    writeEndpointChains(ctx, plan)
  }
  return {
    noLocalInternal: plan.hasEndpoints && !plan.hasInternalEndpoints,
    noLocalExternal: plan.hasEndpoints && !plan.hasExternalEndpoints,
  }
}
