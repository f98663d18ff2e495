// Steps that act from inside the cluster: a client pod running real curl through the exec API.
import { Given, Then } from '@cucumber/cucumber'
import { createClientPod } from '../support/actions/client-pod.ts'
import {
  checkPodReachesItself,
  checkPodRequestsReachAllPods,
  checkRefusedAtOnce,
} from '../support/checks/in-cluster-checks.ts'
import type { SvcWorld } from '../support/world.ts'

// Creates the pod `client` (image `curlimages/curl`, sleeping) and waits until it is ready; in-cluster checks run real curl in it through the Kubernetes exec API.
// e.g. Given a client pod
Given('a client pod', async function (this: SvcWorld) {
  await createClientPod(this)
})

// Same, on that node.
// e.g. Given a client pod on worker2
Given('a client pod on {node}', async function (this: SvcWorld, node: string) {
  await createClientPod(this, { node })
})

// Same, with `enableServiceLinks: false`.
// e.g. Given a client pod without service links
Given('a client pod without service links', async function (this: SvcWorld) {
  await createClientPod(this, { enableServiceLinks: false })
})

// Curls the service's cluster IP from the client pod, one connection per request, in rounds until one round has no failure and every pod of the deployment answered (or the deadline passes).
// e.g. Then 30 requests from the client pod to the service reach all 3 pods
Then(
  '{int} requests from the client pod to the service reach all {int} pods',
  async function (this: SvcWorld, count: number, pods: number) {
    await checkPodRequestsReachAllPods(this, count, pods)
  },
)

// Same, for a named Service.
// e.g. Then 20 requests from the client pod to service "second" reach all 2 pods
Then(
  '{int} requests from the client pod to service {string} reach all {int} pods',
  async function (this: SvcWorld, count: number, service: string, pods: number) {
    await checkPodRequestsReachAllPods(this, count, pods, service)
  },
)

// Curl from the client pod exits 7 (connection refused), not 28 (timeout).
// e.g. Then a request from the client pod to service "empty" is refused at once
Then(
  'a request from the client pod to service {string} is refused at once',
  async function (this: SvcWorld, service: string) {
    await checkRefusedAtOnce(this, service)
  },
)

// Hairpin: the deployment's only pod curls its own service's cluster IP and answers itself.
// e.g. Then the deployment's pod reaches itself through the service
Then("the deployment's pod reaches itself through the service", async function (this: SvcWorld) {
  await checkPodReachesItself(this)
})
