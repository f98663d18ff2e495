// Steps that change the deployment while traffic flows, and check what the background client saw.
import { Then, When } from '@cucumber/cucumber'
import { BackgroundClient } from '../support/actions/background-client.ts'
import { CLIENT_POD } from '../support/actions/client-pod.ts'
import { clusterUrl } from '../support/actions/services.ts'
import { deleteOnePod, scaleDeployment } from '../support/actions/workloads.ts'
import { checkBackgroundFailures } from '../support/checks/background-checks.ts'
import { checkReadyEndpointsArePods } from '../support/checks/endpoint-checks.ts'
import type { SvcWorld } from '../support/world.ts'

// Starts requesting the service's cluster IP from the client pod, batch after batch, until a step checks the outcome.
// e.g. When the client pod keeps requesting the service in the background
When('the client pod keeps requesting the service in the background', function (this: SvcWorld) {
  this.background = new BackgroundClient(this, CLIENT_POD, clusterUrl(this.requireService()))
})

// Sets the replicas and waits until exactly that many pods run and are available.
// e.g. When the deployment is scaled to 5 replicas
When('the deployment is scaled to {int} replica(s)', async function (this: SvcWorld, replicas: number) {
  await scaleDeployment(this, replicas)
})

// Deletes one pod and waits until its replacement is available.
// e.g. When one of the deployment's pods is deleted
When("one of the deployment's pods is deleted", async function (this: SvcWorld) {
  await deleteOnePod(this)
})

// Stops the background client; every one of its requests succeeded (it attaches who answered how often).
// e.g. Then none of the background client's requests failed
Then("none of the background client's requests failed", async function (this: SvcWorld) {
  await checkBackgroundFailures(this, 0)
})

// Same, allowing that share of failures (upstream's disruption tests allow 1%).
// e.g. Then at most 1% of the background client's requests failed
Then(
  "at most {int}% of the background client's requests failed",
  async function (this: SvcWorld, percent: number) {
    await checkBackgroundFailures(this, percent)
  },
)

// The service's EndpointSlices list exactly the IPs of the deployment's pods as ready endpoints (attached as a table).
// e.g. Then the service's ready endpoints are the IPs of its 5 pods
Then(
  "the service's ready endpoints are the IPs of its {int} pod(s)",
  async function (this: SvcWorld, count: number) {
    await checkReadyEndpointsArePods(this, count)
  },
)
