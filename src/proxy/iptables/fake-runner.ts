// An in-memory IptablesRunner for tests: records restores and ensure calls, tracks nat chains, can fail on demand.
import type { IptablesRunner } from './runner.ts'
import { RestoreError } from './runner.ts'
import { RunError } from '../../exec/run-error.ts'
import { parseIptablesSave } from './restore-parse.ts'

// A fake iptables that keeps the set of chains per table the restores produced.
export class FakeIptables implements IptablesRunner {
  /** Every restore payload, in order (failed ones too). */
  readonly restores: string[] = []
  /** `table chain args…` of every ensureRule call. */
  readonly ensuredRules: string[] = []
  /** Chains per table as the kernel would have them. */
  readonly chains = new Map<string, Set<string>>([
    ['filter', new Set(['INPUT', 'FORWARD', 'OUTPUT'])],
    ['nat', new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'])],
  ])
  /** Fail this many upcoming restores. */
  failNextRestores = 0

  get lastRestore(): string | undefined {
    return this.restores.at(-1)
  }
  async save(table: 'filter' | 'nat'): Promise<string> {
    const chains = [...(this.chains.get(table) ?? [])]
    return `*${table}\n${chains.map((c) => `:${c} - [0:0]`).join('\n')}\nCOMMIT\n`
  }
  async restore(payload: string): Promise<void> {
    this.restores.push(payload)
    if (this.failNextRestores > 0) {
      this.failNextRestores--
      const err = new RunError({
        argv: ['iptables-restore'],
        exitCode: 1,
        stdout: '',
        stderr: 'iptables-restore: line 1 failed',
        timedOut: false,
      })
      throw new RestoreError(err, payload)
    }
    for (const t of parseIptablesSave(payload).values()) {
      const set = this.chains.get(t.name) ?? new Set<string>()
      for (const c of t.chains) set.add(c)
      for (const c of t.deleted) set.delete(c)
      this.chains.set(t.name, set)
    }
  }
  async ensureChain(table: string, chain: string): Promise<boolean> {
    const set = this.chains.get(table) ?? new Set<string>()
    const had = set.has(chain)
    set.add(chain)
    this.chains.set(table, set)
    return had
  }
  async ensureRule(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    const key = [table, chain, ...args].join(' ')
    const had = this.ensuredRules.includes(key)
    if (!had) this.ensuredRules.push(key)
    return had
  }
}
