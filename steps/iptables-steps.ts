// Steps that read the nodes' real iptables rules (only in scenarios whose subject is the rules).
import { Then } from '@cucumber/cucumber'
import {
  checkClusterIPMasquerade,
  checkEndpointProbabilities,
  checkExternalMasquerade,
  checkNodePortRule,
  checkServiceRulesGone,
} from '../support/checks/rule-checks.ts'
import type { SvcWorld } from '../support/world.ts'

// Reads the node's `iptables-save -t nat`; the chain name is computed with upstream's hashing.
// e.g. Then node worker has a KUBE-NODEPORTS rule for tcp port 32235 that jumps to the service's KUBE-EXT chain
Then(
  "node {node} has a KUBE-NODEPORTS rule for {protocol} port {int} that jumps to the service's KUBE-EXT chain",
  async function (this: SvcWorld, node: string, proto: string, port: number) {
    await checkNodePortRule(this, node, proto, port)
  },
)

// Checks the load-balancing rules: one jump per endpoint, `--probability` values in order (as the kernel rounds them), the last without.
// e.g. Then the service's KUBE-SVC chain sends to 3 endpoints with probabilities 0.3333333333, 0.5000000000 and then the rest
Then(
  "the service's KUBE-SVC chain sends to {int} endpoints with probabilities {probabilities} and then the rest",
  async function (this: SvcWorld, count: number, probabilities: number[]) {
    await checkEndpointProbabilities(this, count, probabilities)
  },
)

// The cluster-IP chain has the `! -s <cluster CIDR> -d <cluster IP> … -j KUBE-MARK-MASQ` rule.
// e.g. Then the service's KUBE-SVC chain on node worker marks traffic from outside the pod network for masquerade
Then(
  "the service's KUBE-SVC chain on node {node} marks traffic from outside the pod network for masquerade",
  async function (this: SvcWorld, node: string) {
    await checkClusterIPMasquerade(this, node)
  },
)

// The external chain (node ports, external IPs) masquerades everything (externalTrafficPolicy Cluster).
// e.g. Then the service's KUBE-EXT chain on node worker marks all its traffic for masquerade
Then(
  "the service's KUBE-EXT chain on node {node} marks all its traffic for masquerade",
  async function (this: SvcWorld, node: string) {
    await checkExternalMasquerade(this, node)
  },
)

// No node's iptables-save has a chain of the service or a rule whose comment names it.
// e.g. Then no node has a rule or chain of the service any more
Then('no node has a rule or chain of the service any more', async function (this: SvcWorld) {
  await checkServiceRulesGone(this)
})
