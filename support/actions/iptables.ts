// Reading a node's real iptables rules and finding what kube-proxy programmed for the scenario's service.
import { chainRules, parseIptablesSave, ruleArg, tokenize } from '../../src/proxy/iptables/restore-parse.ts'
import { serviceChainNames, type ServiceChains } from '../../src/proxy/iptables/chain-names.ts'
import { eventually } from '../checks/check-failed.ts'
import { servicePort, servicePortName } from './services.ts'
import type { SvcWorld } from '../world.ts'

// The chain names kube-proxy gives the scenario's service port (upstream's hashing).
export function chainsOfService(w: SvcWorld): ServiceChains {
  return serviceChainNames(servicePortName(w), servicePort(w).protocol ?? 'TCP')
}

// The nat table rules of one chain on a node, as iptables-save prints them now.
export async function natChain(w: SvcWorld, node: string, chain: string): Promise<string[] | undefined> {
  const save = await w.cluster.runOnNode(w.node(node).name, ['iptables-save', '-t', 'nat'])
  return chainRules(parseIptablesSave(save.stdout), 'nat', chain)
}

// Waits until a node's nat chain has a rule accepted by `match`; the failure message lists the chain's rules.
export async function waitForNatRule(
  w: SvcWorld,
  node: string,
  chain: string,
  what: string,
  match: (rule: string) => boolean,
): Promise<string> {
  return eventually({
    what: `node ${node} to have ${what} in nat ${chain}`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const rules = await natChain(w, node, chain)
      const hit = rules?.find(match)
      if (hit) return { done: true, value: hit }
      return {
        done: false,
        seen: rules ? `${chain} rules:\n  ${rules.join('\n  ') || '(none)'}` : `no chain ${chain}`,
      }
    },
  })
}

// True when every flag of `want` is followed by its value in the rule (`{ '-p': 'tcp', '--dport': '32233' }`).
export function ruleMatches(rule: string, want: Readonly<Record<string, string>>): boolean {
  return Object.entries(want).every(([flag, value]) => ruleArg(rule, flag) === value)
}

// The jumps of a KUBE-SVC chain to endpoint chains: target and probability (undefined = the rest).
export function endpointJumps(rules: string[]): Array<{ target: string; probability: number | undefined }> {
  return rules
    .map((r) => ({ tokens: tokenize(r), rule: r }))
    .filter(({ tokens }) => tokens[tokens.indexOf('-j') + 1]?.startsWith('KUBE-SEP-'))
    .map(({ tokens, rule }) => {
      const p = ruleArg(rule, '--probability')
      return {
        target: tokens[tokens.indexOf('-j') + 1]!,
        probability: p === undefined ? undefined : Number(p),
      }
    })
}

// A node's whole iptables-save output (every table).
export async function iptablesSave(w: SvcWorld, node: string): Promise<string> {
  return (await w.cluster.runOnNode(w.node(node).name, ['iptables-save'])).stdout
}

// The lines of a dump that still belong to a service: its chains' declarations and rules, and rules commenting on it.
export function leftoverRules(dump: string, serviceKey: string, chains: readonly string[]): string[] {
  const mentions = (line: string) =>
    chains.some((c) => line.startsWith(`:${c} `) || line.split(/\s+/).includes(c)) ||
    new RegExp(`"${serviceKey.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[: "]`).test(line)
  return dump.split('\n').filter((l) => (l.startsWith('-A ') || l.startsWith(':')) && mentions(l))
}
