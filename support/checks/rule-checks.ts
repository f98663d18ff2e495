// Checks of the iptables rules kube-proxy programmed on the nodes for the scenario's service.
import { chainsOfService, endpointJumps, natChain, ruleMatches, waitForNatRule } from '../actions/iptables.ts'
import type { SvcWorld } from '../world.ts'
import { check, eventually } from './check-failed.ts'

// A node's KUBE-NODEPORTS chain sends `proto` traffic to `port` into the service's KUBE-EXT chain.
export async function checkNodePortRule(
  w: SvcWorld,
  node: string,
  proto: string,
  port: number,
): Promise<void> {
  const ext = chainsOfService(w).external
  const rule = await waitForNatRule(
    w,
    node,
    'KUBE-NODEPORTS',
    `a ${proto} --dport ${port} rule jumping to ${ext}`,
    (r) => ruleMatches(r, { '-p': proto, '--dport': String(port), '-j': ext }),
  )
  w.attach(rule, { mediaType: 'text/plain', fileName: `matched-rule-${node}.txt` })
}

// The service's KUBE-SVC chain jumps to `count` endpoint chains, with these probabilities in order and the last without.
export async function checkEndpointProbabilities(
  w: SvcWorld,
  count: number,
  probabilities: number[],
): Promise<void> {
  const chain = chainsOfService(w).cluster
  const node = w.cluster.nodes[0]!.name
  const rules = await eventually({
    what: `${chain} on ${node} to jump to ${count} endpoint chains`,
    timeoutMs: 30_000,
    check: async () => {
      const rules = (await natChain(w, node, chain)) ?? []
      if (endpointJumps(rules).length === count) return { done: true, value: rules }
      return { done: false, seen: `${chain} rules:\n  ${rules.join('\n  ') || '(none)'}` }
    },
  })
  w.attach(rules.join('\n'), { mediaType: 'text/plain', fileName: `matched-rules-${chain}.txt` })
  const got = endpointJumps(rules).map((j) => j.probability?.toFixed(10) ?? 'the rest')
  const want = [...probabilities.map((p) => p.toFixed(10)), 'the rest']
  check(
    got.join(', ') === want.join(', '),
    `expected ${chain} to send to its endpoints with probabilities ${want.join(', ')}; it has ${got.join(', ')}`,
  )
}
