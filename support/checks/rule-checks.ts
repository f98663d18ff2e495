// Checks of the iptables rules kube-proxy programmed on the nodes for the scenario's service.
import {
  chainsOfService,
  endpointJumps,
  iptablesSave,
  leftoverRules,
  natChain,
  ruleMatches,
  waitForNatRule,
} from '../actions/iptables.ts'
import type { SvcWorld } from '../world.ts'
import { check, eventually } from './check-failed.ts'
import { objectKey } from '../../src/kube/object-key.ts'

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
  const got = endpointJumps(rules).map((j) => j.probability)
  const want = [...probabilities, undefined]
  const show = (ps: Array<number | undefined>) => ps.map((p) => p?.toFixed(10) ?? 'the rest').join(', ')
  check(
    sameProbabilities(got, want),
    `expected ${chain} to send to its endpoints with probabilities ${show(want)}; it has ${show(got)}`,
  )
}

// The kernel keeps a probability as a 31-bit fraction, so iptables-save prints 1/3 as 0.33333333349: allow that much.
export function sameProbabilities(got: Array<number | undefined>, want: Array<number | undefined>): boolean {
  return (
    got.length === want.length &&
    got.every((g, i) => {
      const w = want[i]
      return g === undefined || w === undefined ? g === w : Math.abs(g - w) < 1e-9
    })
  )
}

// The service's KUBE-SVC chain marks traffic to the cluster IP from outside the pod network for masquerading.
export async function checkClusterIPMasquerade(w: SvcWorld, node: string): Promise<void> {
  const { cluster } = chainsOfService(w)
  const ip = w.requireService().spec?.clusterIP
  const rule = await waitForNatRule(
    w,
    node,
    cluster,
    `a rule marking traffic to ${ip} from outside the pod network for masquerade`,
    (r) => ruleMatches(r, { '-d': `${ip}/32`, '-j': 'KUBE-MARK-MASQ' }) && /(^|\s)! -s \S+/.test(r),
  )
  w.attach(rule, { mediaType: 'text/plain', fileName: `matched-rule-${cluster}.txt` })
}

// The service's KUBE-EXT chain marks all its traffic (node ports, external IPs) for masquerading.
export async function checkExternalMasquerade(w: SvcWorld, node: string): Promise<void> {
  const { external } = chainsOfService(w)
  const rule = await waitForNatRule(
    w,
    node,
    external,
    'a rule marking all traffic for masquerade',
    (r) => ruleMatches(r, { '-j': 'KUBE-MARK-MASQ' }) && !/(^|\s)-s /.test(r),
  )
  w.attach(rule, { mediaType: 'text/plain', fileName: `matched-rule-${external}.txt` })
}

// No node has a chain of the service, or a rule whose comment names it, once it is deleted.
export async function checkServiceRulesGone(w: SvcWorld): Promise<void> {
  const svc = w.requireService()
  const key = objectKey(svc.metadata)
  const chains = Object.values(chainsOfService(w))
  for (const node of w.cluster.nodes) {
    await eventually({
      what: `node ${node.name} to have no rule or chain of service ${key}`,
      timeoutMs: 30_000,
      intervalMs: 500,
      check: async () => {
        const left = leftoverRules(await iptablesSave(w, node.name), key, chains)
        if (left.length === 0) return { done: true, value: undefined }
        return { done: false, seen: `left:\n  ${left.join('\n  ')}` }
      },
    })
  }
}
