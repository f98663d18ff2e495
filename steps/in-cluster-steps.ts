// Steps that act from inside the cluster: a client pod running real curl through the exec API.
import { Given, Then } from '@cucumber/cucumber'
import { createClientPod } from '../support/actions/client-pod.ts'
import {
  checkPodReachesItself,
  checkPodRequestsReachAllPods,
  checkRefusedAtOnce,
} from '../support/checks/in-cluster-checks.ts'
import type { SvcWorld } from '../support/world.ts'

Given('a client pod', async function (this: SvcWorld) {
  await createClientPod(this)
})

Given('a client pod on {node}', async function (this: SvcWorld, node: string) {
  await createClientPod(this, { node })
})

Given('a client pod without service links', async function (this: SvcWorld) {
  await createClientPod(this, { enableServiceLinks: false })
})

Then(
  '{int} requests from the client pod to the service reach all {int} pods',
  async function (this: SvcWorld, count: number, pods: number) {
    await checkPodRequestsReachAllPods(this, count, pods)
  },
)

Then(
  '{int} requests from the client pod to service {string} reach all {int} pods',
  async function (this: SvcWorld, count: number, service: string, pods: number) {
    await checkPodRequestsReachAllPods(this, count, pods, service)
  },
)

Then(
  'a request from the client pod to service {string} is refused at once',
  async function (this: SvcWorld, service: string) {
    await checkRefusedAtOnce(this, service)
  },
)

Then("the deployment's pod reaches itself through the service", async function (this: SvcWorld) {
  await checkPodReachesItself(this)
})
