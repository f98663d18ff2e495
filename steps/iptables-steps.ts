// Steps that read the nodes' real iptables rules.
import assert from 'node:assert/strict'
import { Then } from '@cucumber/cucumber'
import { chainsOfService, endpointJumps, natChain, waitForNatRule } from '../support/actions/iptables.ts'
import { tokenize } from '../src/proxy/iptables/restore-parse.ts'
import { waitFor } from '../src/wait/wait-for.ts'
import type { SvcWorld } from '../support/world.ts'

Then(
  "node {string} has a KUBE-NODEPORTS rule for {word} port {int} that jumps to the service's KUBE-EXT chain",
  async function (this: SvcWorld, node: string, proto: string, port: number) {
    const ext = chainsOfService(this).external
    await waitForNatRule(
      this,
      node,
      'KUBE-NODEPORTS',
      `a ${proto} --dport ${port} rule jumping to ${ext}`,
      (rule) => {
        const t = tokenize(rule)
        return (
          t.includes('-p') &&
          t[t.indexOf('-p') + 1] === proto &&
          t[t.indexOf('--dport') + 1] === String(port) &&
          t[t.indexOf('-j') + 1] === ext
        )
      },
    )
  },
)

Then(
  /^the service's KUBE-SVC chain sends to (\d+) endpoints with probabilities ((?:\d\.\d+(?:, )?)+) and then the rest$/,
  async function (this: SvcWorld, count: string, probabilities: string) {
    const chain = chainsOfService(this).cluster
    const node = this.cluster.nodes[0]!.name
    const want = probabilities.split(', ').map(Number)
    const jumps = await waitFor({
      what: `${chain} on ${node} to jump to ${count} endpoint chains`,
      timeoutMs: 30_000,
      check: async () => {
        const rules = await natChain(this, node, chain)
        const found = endpointJumps(rules ?? [])
        if (found.length === Number(count)) return { done: true, value: found }
        return {
          done: false,
          seen: rules ? `rules:\n  ${rules.join('\n  ') || '(none)'}` : `no chain ${chain}`,
        }
      },
    })
    assert.deepEqual(
      jumps.map((j) => j.probability?.toFixed(10)),
      [...want.map((p) => p.toFixed(10)), undefined],
    )
  },
)
