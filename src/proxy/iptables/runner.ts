// The only code that runs iptables: save, restore (atomic per table) and the ensure-chain/ensure-rule jumps.
import { run } from '../../exec/run.ts'
import { RunError } from '../../exec/run-error.ts'

/** What the proxier needs from iptables. */
export interface IptablesRunner {
  // Returns `iptables-save -t table` output.
  save(table: 'filter' | 'nat' | 'mangle'): Promise<string>
  // Applies a restore payload with --noflush --counters; throws RestoreError and changes nothing on failure.
  restore(payload: string): Promise<void>
  // Applies a small payload that only creates missing chains and prepends missing rules (ensure-payload.ts).
  ensure(payload: string): Promise<void>
  // Creates a chain unless it exists; returns true if it already existed.
  ensureChain(table: string, chain: string): Promise<boolean>
  // Inserts a rule at the top of a chain unless `-C` finds it; returns true if it already existed.
  ensureRule(table: string, chain: string, args: readonly string[]): Promise<boolean>
  // True when the chain exists in the table (`iptables -t T -n -L CHAIN`).
  chainExists(table: string, chain: string): Promise<boolean>
  // True when `iptables -C` finds the rule.
  ruleExists(table: string, chain: string, args: readonly string[]): Promise<boolean>
  // Deletes the rule if `-C` finds it; returns true when it existed.
  deleteRule(table: string, chain: string, args: readonly string[]): Promise<boolean>
}

/** A failed iptables-restore, with the payload lines around the one iptables-restore complained about. */
export class RestoreError extends Error {
  readonly line: number | undefined
  constructor(cause: RunError, payload: string) {
    const line = Number(/line (\d+) failed/.exec(cause.stderr)?.[1]) || undefined
    const context = line ? `\naround line ${line}:\n${excerpt(payload, line, 3)}` : ''
    super(`iptables-restore failed; previous rules left in place: ${cause.message}${context}`, { cause })
    this.name = 'RestoreError'
    this.line = line
  }
}

// Lines line-n..line+n of a payload, numbered.
function excerpt(payload: string, line: number, n: number): string {
  const lines = payload.split('\n')
  const from = Math.max(1, line - n)
  const to = Math.min(lines.length, line + n)
  const out: string[] = []
  for (let i = from; i <= to; i++)
    out.push(`${i === line ? '>' : ' '}${String(i).padStart(5)}: ${lines[i - 1] ?? ''}`)
  return out.join('\n')
}

/** Which binaries and namespace the system runner uses. */
export interface SystemIptablesOptions {
  /** Run inside this network namespace (`ip netns exec`); unset = the current one. */
  netns?: string
  /** Binary prefix: `iptables` (default, nft backend here), `iptables-legacy` or `iptables-nft`. */
  binary?: string
  /** @default 30000 */
  timeoutMs?: number
}

// An IptablesRunner that runs the real binaries through src/exec.
export class SystemIptables implements IptablesRunner {
  readonly #netns: string | undefined
  readonly #bin: string
  readonly #timeoutMs: number
  constructor(opts: SystemIptablesOptions = {}) {
    this.#netns = opts.netns
    this.#bin = opts.binary ?? 'iptables'
    this.#timeoutMs = opts.timeoutMs ?? 30_000
  }
  async save(table: 'filter' | 'nat' | 'mangle'): Promise<string> {
    return (await run(`${this.#bin}-save`, ['-t', table], { netns: this.#netns, timeoutMs: this.#timeoutMs }))
      .stdout
  }
  async restore(payload: string): Promise<void> {
    await this.#restore(payload, ['--counters'])
  }
  async ensure(payload: string): Promise<void> {
    await this.#restore(payload, [])
  }
  async #restore(payload: string, extra: string[]): Promise<void> {
    try {
      await run(`${this.#bin}-restore`, ['-w', '5', '-W', '100000', '--noflush', ...extra], {
        stdin: payload,
        netns: this.#netns,
        timeoutMs: this.#timeoutMs,
      })
    } catch (err) {
      if (err instanceof RunError) throw new RestoreError(err, payload)
      throw err
    }
  }
  async ensureChain(table: string, chain: string): Promise<boolean> {
    const r = await this.#iptables(['-t', table, '-N', chain])
    if (r.exitCode === 0) return false
    if (/already exists/i.test(r.stderr)) return true
    throw r.error()
  }
  async ensureRule(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    const check = await this.#iptables(['-t', table, '-C', chain, ...args])
    if (check.exitCode === 0) return true
    if (check.exitCode !== 1) throw check.error()
    const insert = await this.#iptables(['-t', table, '-I', chain, ...args])
    if (insert.exitCode !== 0) throw insert.error()
    return false
  }
  async chainExists(table: string, chain: string): Promise<boolean> {
    const r = await this.#iptables(['-t', table, '-n', '-L', chain])
    if (r.exitCode === 0) return true
    if (r.exitCode === 1 && /no chain|does not exist/i.test(r.stderr)) return false
    throw r.error()
  }
  async ruleExists(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    const check = await this.#iptables(['-t', table, '-C', chain, ...args])
    if (check.exitCode === 0) return true
    if (check.exitCode === 1) return false
    throw check.error()
  }
  async deleteRule(table: string, chain: string, args: readonly string[]): Promise<boolean> {
    if (!(await this.chainExists(table, chain))) return false
    if (!(await this.ruleExists(table, chain, args))) return false
    const del = await this.#iptables(['-t', table, '-D', chain, ...args])
    if (del.exitCode !== 0) throw del.error()
    return true
  }
  // Runs `iptables -w 5 ARGS`, returning the exit code and a way to turn it into a RunError.
  async #iptables(args: string[]): Promise<{ exitCode: number; stderr: string; error: () => RunError }> {
    const r = await run(this.#bin, ['-w', '5', ...args], {
      netns: this.#netns,
      timeoutMs: this.#timeoutMs,
      allowFailure: true,
    })
    return {
      exitCode: r.exitCode,
      stderr: r.stderr,
      error: () =>
        new RunError({
          argv: r.argv,
          exitCode: r.exitCode,
          stdout: r.stdout,
          stderr: r.stderr,
          timedOut: false,
        }),
    }
  }
}
