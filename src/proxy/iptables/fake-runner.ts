// An in-memory IptablesRunner for tests that checks payloads as iptables-restore does: a declared chain is created
// or flushed, a jump to a chain that exists nowhere fails, deleting a chain that is still jumped to fails, and a
// failed payload changes nothing.
import type { IptablesRunner } from './runner.ts'
import { RestoreError } from './runner.ts'
import { RunError } from '../../exec/run-error.ts'
import { parseIptablesSave } from './restore-parse.ts'
import { BUILTIN_TARGETS } from './rule-check.ts'

/** Built-in chains per table. */
const BUILTIN_CHAINS: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
}

/** Chains per table, each with its rules (the text after `-A CHAIN `). */
type Tables = Map<string, Map<string, string[]>>

// The jump target of a rule, if any.
function targetOf(rule: string): string | undefined {
  return /(?:^| )-j (\S+)/.exec(rule)?.[1]
}

// A fake iptables holding chains and rules per table.
export class FakeIptables implements IptablesRunner {
  /** Every restore payload, in order (failed ones too). */
  readonly restores: string[] = []
  /** Every ensure payload (missing chains and jumps), in order. */
  readonly ensures: string[] = []
  /** `table chain args…` of every ensureRule call. */
  readonly ensuredRules: string[] = []
  /** Chains per table as the kernel would have them (kept in step with `tables`). */
  readonly chains = new Map<string, Set<string>>()
  /** Fail this many upcoming restores. */
  failNextRestores = 0
  /** Called at the start of every save() (lets a test change the world while the proxier awaits). */
  onSave: (() => void | Promise<void>) | undefined
  #tables: Tables = new Map()

  constructor() {
    for (const [t, chains] of Object.entries(BUILTIN_CHAINS))
      this.#tables.set(t, new Map(chains.map((c) => [c, []])))
    this.#syncChains()
  }
  get lastRestore(): string | undefined {
    return this.restores.at(-1)
  }
  // The rules of one chain now, or undefined when it does not exist.
  rules(table: string, chain: string): string[] | undefined {
    return this.#tables.get(table)?.get(chain)
  }
  // Removes every rule and non-built-in chain of a table, as `iptables -t T -F; iptables -t T -X` would.
  flushTable(table: string): void {
    const builtins = BUILTIN_CHAINS[table] ?? []
    this.#tables.set(table, new Map(builtins.map((c) => [c, []])))
    this.#syncChains()
  }
  async save(table: 'filter' | 'nat' | 'mangle'): Promise<string> {
    await this.onSave?.()
    const t = this.#tables.get(table) ?? new Map<string, string[]>()
    const lines = [`*${table}`, ...[...t.keys()].map((c) => `:${c} - [0:0]`)]
    for (const [c, rules] of t) for (const r of rules) lines.push(`-A ${c} ${r}`)
    return [...lines, 'COMMIT', ''].join('\n')
  }
  async restore(payload: string): Promise<void> {
    this.restores.push(payload)
    this.#apply(payload)
  }
  async ensure(payload: string): Promise<void> {
    this.ensures.push(payload)
    this.#apply(payload, false)
  }
  // Applies a payload all or nothing; `failable` payloads honour failNextRestores.
  #apply(payload: string, failable = true): void {
    const fail = (why: string) => {
      const err = new RunError({
        argv: ['iptables-restore'],
        exitCode: 1,
        stdout: '',
        stderr: `iptables-restore: ${why}`,
        timedOut: false,
      })
      throw new RestoreError(err, payload)
    }
    if (failable && this.failNextRestores > 0) {
      this.failNextRestores--
      fail('line 1 failed')
    }
    const next: Tables = new Map(
      [...this.#tables].map(([t, m]) => [t, new Map([...m].map(([c, r]) => [c, [...r]]))]),
    )
    for (const t of parseIptablesSave(payload).values()) {
      const table = next.get(t.name) ?? new Map<string, string[]>()
      next.set(t.name, table)
      for (const c of t.chains) table.set(c, [])
      for (const [c, rules] of t.rules) {
        if (!table.has(c)) fail(`chain ${c} does not exist (rule appended to it)`)
        table.get(c)!.push(...rules)
      }
      for (const { chain, rule } of t.inserts) {
        if (!table.has(chain)) fail(`chain ${chain} does not exist (rule inserted into it)`)
        table.get(chain)!.unshift(rule)
      }
      for (const [c, rules] of table) {
        for (const r of rules) {
          const target = targetOf(r)
          if (target && !BUILTIN_TARGETS.has(target) && !table.has(target) && !t.deleted.includes(target))
            fail(`Chain '${target}' does not exist (jump from ${c})`)
        }
      }
      for (const c of t.deleted) {
        if ((table.get(c)?.length ?? 0) > 0) fail(`cannot delete non-empty chain ${c}`)
        for (const [from, rules] of table)
          if (from !== c && rules.some((r) => targetOf(r) === c))
            fail(`chain ${c} is still referenced from ${from}`)
        table.delete(c)
      }
    }
    this.#tables = next
    this.#syncChains()
  }
  async ensureChain(table: string, chain: string): Promise<boolean> {
    const t = this.#tables.get(table) ?? new Map<string, string[]>()
    this.#tables.set(table, t)
    const had = t.has(chain)
    if (!had) t.set(chain, [])
    this.#syncChains()
    return had
  }
  async ensureRule(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    const key = [table, chain, ...args].join(' ')
    if (!this.ensuredRules.includes(key)) this.ensuredRules.push(key)
    const rules = this.#tables.get(table)?.get(chain)
    if (!rules) throw new Error(`ensureRule: chain ${table}/${chain} does not exist`)
    const text = args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')
    if (rules.includes(text)) return true
    rules.unshift(text)
    return false
  }
  async ruleExists(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    const text = args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')
    return this.#tables.get(table)?.get(chain)?.includes(text) ?? false
  }
  async deleteRule(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    const rules = this.#tables.get(table)?.get(chain)
    const text = args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')
    const i = rules?.indexOf(text) ?? -1
    if (i < 0) return false
    rules!.splice(i, 1)
    return true
  }
  async chainExists(table: string, chain: string): Promise<boolean> {
    return this.#tables.get(table)?.has(chain) ?? false
  }
  // Mirrors the tables into the public `chains` view.
  #syncChains(): void {
    this.chains.clear()
    for (const [t, m] of this.#tables) this.chains.set(t, new Set(m.keys()))
  }
}
