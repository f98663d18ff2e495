// Steps that read the nodes' real iptables rules (only in scenarios whose subject is the rules).
import { Then } from '@cucumber/cucumber'
import { checkEndpointProbabilities, checkNodePortRule } from '../support/checks/rule-checks.ts'
import type { SvcWorld } from '../support/world.ts'

Then(
  "node {node} has a KUBE-NODEPORTS rule for {protocol} port {int} that jumps to the service's KUBE-EXT chain",
  async function (this: SvcWorld, node: string, proto: string, port: number) {
    await checkNodePortRule(this, node, proto, port)
  },
)

Then(
  "the service's KUBE-SVC chain sends to {int} endpoints with probabilities {probabilities} and then the rest",
  async function (this: SvcWorld, count: number, probabilities: number[]) {
    await checkEndpointProbabilities(this, count, probabilities)
  },
)
