// Steps for LoadBalancer Services: who may reach the load-balancer IP (loadBalancerSourceRanges).
import { When } from '@cucumber/cucumber'
import { setSourceRanges } from '../support/actions/load-balancer.ts'
import { outsideClientAddress } from '../support/actions/traffic.ts'
import type { SvcWorld } from '../support/world.ts'

// Sets the service's loadBalancerSourceRanges to the outside client's own address (a /32).
// e.g. When the service's load-balancer source ranges are the outside client's address
When(
  "the service's load-balancer source ranges are the outside client's address",
  async function (this: SvcWorld) {
    await setSourceRanges(this, [`${await outsideClientAddress(this)}/32`])
  },
)

// Sets the service's loadBalancerSourceRanges to that CIDR.
// e.g. When the service's load-balancer source ranges are 192.0.2.0/24
When("the service's load-balancer source ranges are {word}", async function (this: SvcWorld, cidr: string) {
  await setSourceRanges(this, [cidr])
})
