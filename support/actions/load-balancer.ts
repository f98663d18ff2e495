// Changing who may reach a LoadBalancer service (loadBalancerSourceRanges).
import type { SvcWorld } from '../world.ts'
import { updateService } from './services.ts'

// Sets the scenario service's loadBalancerSourceRanges; each must be an IPv4 CIDR such as 192.0.2.0/24.
export async function setSourceRanges(w: SvcWorld, cidrs: string[]): Promise<void> {
  const bad = cidrs.filter((c) => !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c))
  if (bad.length > 0) throw new Error(`not IPv4 CIDRs for loadBalancerSourceRanges: ${bad.join(', ')}`)
  await updateService(w, (spec) => (spec.loadBalancerSourceRanges = cidrs))
}
