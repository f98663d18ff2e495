// Steps that send traffic from outside the cluster and check who answered.
import { Then } from '@cucumber/cucumber'
import {
  checkEveryNodeAnswers,
  checkRequestsReachAllPods,
  checkServedOnEveryNode,
} from '../support/checks/traffic-checks.ts'
import type { SvcWorld } from '../support/world.ts'

Then(
  "the page is served on every node's IP at the node port, from outside the cluster",
  async function (this: SvcWorld) {
    await checkServedOnEveryNode(this)
  },
)

Then(
  '{int} requests from outside the cluster reach all {int} pods',
  async function (this: SvcWorld, count: number, podCount: number) {
    await checkRequestsReachAllPods(this, count, podCount)
  },
)

Then(
  "from outside the cluster, every node's IP at port {int} answers {string} from one of the pods",
  async function (this: SvcWorld, port: number, text: string) {
    await checkEveryNodeAnswers(this, port, text)
  },
)
