// Consistency checks on a restore payload: every -j target must be a declared chain or a builtin target.
import { parseIptablesSave } from './restore-parse.ts'

/** Targets iptables provides itself (the ones kube-proxy uses). */
export const BUILTIN_TARGETS = new Set([
  'ACCEPT',
  'DROP',
  'REJECT',
  'RETURN',
  'MARK',
  'MASQUERADE',
  'DNAT',
  'SNAT',
])

// Lists every problem found: jumps to undeclared chains, rules in undeclared chains, chains declared twice.
export function checkRestore(text: string): string[] {
  const problems: string[] = []
  for (const table of parseIptablesSave(text).values()) {
    const declared = new Set(table.chains)
    const seen = new Set<string>()
    for (const c of table.chains) {
      if (seen.has(c)) problems.push(`${table.name}: chain ${c} declared twice`)
      seen.add(c)
    }
    for (const [chain, rules] of table.rules) {
      if (!declared.has(chain) && rules.length > 0)
        problems.push(`${table.name}: rules in undeclared chain ${chain}`)
      for (const r of rules) {
        const target = /(?:^| )-j (\S+)/.exec(r)?.[1]
        if (target && !declared.has(target) && !BUILTIN_TARGETS.has(target)) {
          problems.push(`${table.name}: ${chain} jumps to undeclared ${target}: ${r}`)
        }
      }
    }
  }
  return problems
}
