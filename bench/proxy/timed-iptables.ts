// An IptablesRunner wrapper that adds up the time spent in iptables commands, so a sync's own CPU can be told apart.
import type { IptablesRunner } from '../../src/proxy/iptables/runner.ts'

// Delegates every call and records its wall time in `spentMs` (reset it before a measured sync).
export class TimedIptables implements IptablesRunner {
  readonly #inner: IptablesRunner
  spentMs = 0
  lastRestoreMs = 0
  lastPayload = ''
  /** performance.now() when the last restore started and finished. */
  lastRestoreStart = 0
  lastRestoreEnd = 0
  /** Restores in flight. */
  restoring = 0
  constructor(inner: IptablesRunner) {
    this.#inner = inner
  }
  async #timed<T>(f: () => Promise<T>): Promise<T> {
    const t = performance.now()
    try {
      return await f()
    } finally {
      this.spentMs += performance.now() - t
    }
  }
  save(table: 'filter' | 'nat' | 'mangle'): Promise<string> {
    return this.#timed(() => this.#inner.save(table))
  }
  async restore(payload: string): Promise<void> {
    const t = performance.now()
    this.lastRestoreStart = t
    this.restoring++
    try {
      await this.#timed(() => this.#inner.restore(payload))
    } finally {
      this.restoring--
    }
    this.lastRestoreEnd = performance.now()
    this.lastRestoreMs = this.lastRestoreEnd - t
    this.lastPayload = payload
  }
  ensure(payload: string): Promise<void> {
    return this.#timed(() => this.#inner.ensure(payload))
  }
  ensureChain(table: string, chain: string): Promise<boolean> {
    return this.#timed(() => this.#inner.ensureChain(table, chain))
  }
  ensureRule(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    return this.#timed(() => this.#inner.ensureRule(table, chain, args))
  }
  chainExists(table: string, chain: string): Promise<boolean> {
    return this.#timed(() => this.#inner.chainExists(table, chain))
  }
  ruleExists(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    return this.#timed(() => this.#inner.ruleExists(table, chain, args))
  }
  deleteRule(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    return this.#timed(() => this.#inner.deleteRule(table, chain, args))
  }
}
