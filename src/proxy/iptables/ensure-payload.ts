// Upstream's EnsureChain + EnsureRule(Prepend) for the jumps from built-in chains and the canary chains, as one
// iptables-restore input instead of `iptables -N/-C/-I` per jump: only chains the saved tables lack are declared (so
// nothing existing is flushed), and only jumps they lack are inserted, in upstream's order, so the rules come out the
// same. The sync's own payload stays exactly upstream's.
import type { JumpRule } from './jump-rules.ts'
import type { ParsedDump } from './restore-parse.ts'

// Quotes an argument as iptables-save prints it: in double quotes when it has white space.
function quote(arg: string): string {
  return /\s/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg
}

// The restore input that creates the missing chains (jump targets, and each table's `emptyChains`, e.g. the
// canary) and prepends the missing jumps; tables the dump does not show are left out unless given in emptyChains
// (an always-empty chain can be declared whether or not it exists). Empty string when nothing is missing.
export function ensurePayload(
  saved: ParsedDump,
  missing: readonly JumpRule[],
  emptyChains: Readonly<Record<string, readonly string[]>>,
): string {
  const tables = [...new Set([...missing.map((j) => j.table), ...Object.keys(emptyChains)])]
  const out: string[] = []
  for (const table of tables) {
    const exists = new Set(saved.get(table)?.chains ?? [])
    const jumps = missing.filter((j) => j.table === table)
    const declare = [...new Set([...jumps.map((j) => j.to), ...(emptyChains[table] ?? [])])].filter(
      (c) => !exists.has(c) || emptyChains[table]?.includes(c),
    )
    if (!declare.length && !jumps.length) continue
    out.push(`*${table}`, ...declare.map((c) => `:${c} - [0:0]`))
    for (const j of jumps) out.push(['-I', j.from, ...j.args.map(quote)].join(' '))
    out.push('COMMIT')
  }
  return out.length ? `${out.join('\n')}\n` : ''
}
