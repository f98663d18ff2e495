// Steps for LoadBalancer Services: who may reach the load-balancer IP (loadBalancerSourceRanges).
import { Then, When } from '@cucumber/cucumber'
import { setSourceRanges } from '../support/actions/load-balancer.ts'
import { outsideClientAddress } from '../support/actions/traffic.ts'
import { waitForIngressIP } from '../support/actions/services.ts'
import { checkAddressGetsNoAnswer } from '../support/checks/traffic-checks.ts'
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

// Waits for the LoadBalancer service's ingress IP; then requests from the outside client to it get no answer (dropped or refused), twice in a row.
// e.g. Then from outside the cluster, the service's load-balancer IP at port 80 gets no answer
Then(
  "from outside the cluster, the service's load-balancer IP at port {int} gets no answer",
  async function (this: SvcWorld, port: number) {
    await checkAddressGetsNoAnswer(this, await waitForIngressIP(this), port)
  },
)
