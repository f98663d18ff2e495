// Steps that send traffic from outside the cluster and check who answered.
import { DataTable, Then } from '@cucumber/cucumber'
import {
  checkEveryNodeAnswers,
  checkNoNodeAnswers,
  checkRequestsReachAllPods,
  checkServedOnEveryNode,
} from '../support/checks/traffic-checks.ts'
import { nodePortNamed } from '../support/actions/services.ts'
import { checkReachability } from '../support/checks/reachability-checks.ts'
import { parseReachability } from '../support/parse/reachability.ts'
import type { SvcWorld } from '../support/world.ts'

// Waits for the endpoints, then for HTTP 200 from the outside client on every node IP.
// e.g. Then the page is served on every node's IP at the node port, from outside the cluster
Then(
  "the page is served on every node's IP at the node port, from outside the cluster",
  async function (this: SvcWorld) {
    await checkServedOnEveryNode(this)
  },
)

// Spreads requests over every node's IP at the node port; every one must succeed and every pod must serve at least one (told from the `Hostname:` in the body, or the pods' access logs).
// e.g. Then 30 requests from outside the cluster reach all 3 pods
Then(
  '{int} requests from outside the cluster reach all {int} pods',
  async function (this: SvcWorld, count: number, podCount: number) {
    await checkRequestsReachAllPods(this, count, podCount)
  },
)

// Curls every node IP at that port from the outside client; the body must contain the text and name one of the deployment's pods.
// e.g. Then from outside the cluster, every node's IP at port 32233 answers "Hello, world!" from one of the pods
Then(
  "from outside the cluster, every node's IP at port {int} answers {string} from one of the pods",
  async function (this: SvcWorld, port: number, text: string) {
    await checkEveryNodeAnswers(this, port, text)
  },
)

// Same, at the node port the API server gave the named service port.
// e.g. Then from outside the cluster, every node's IP at the node port of "http" answers "Hello, world!" from one of the pods
Then(
  "from outside the cluster, every node's IP at the node port of {string} answers {string} from one of the pods",
  async function (this: SvcWorld, portName: string, text: string) {
    await checkEveryNodeAnswers(this, nodePortNamed(this, portName), text)
  },
)

// Every node IP at that port stops answering from outside (connection refused or no answer).
// e.g. Then from outside the cluster, no node's IP answers at port 32236 any more
Then(
  "from outside the cluster, no node's IP answers at port {int} any more",
  async function (this: SvcWorld, port: number) {
    await checkNoNodeAnswers(this, port)
  },
)

// Checks a table of requests (from: client pod | outside client; to: cluster IP | load-balancer IP | <node> node port;
// result: answered | refused | no answer), each repeated until it has its result; attaches the table with what each got.
// e.g. Then requests reach the service as follows:
Then('requests reach the service as follows:', async function (this: SvcWorld, table: DataTable) {
  await checkReachability(this, parseReachability(table.hashes()))
})
