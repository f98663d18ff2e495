// A bounded-frequency runner (upstream BoundedFrequencyRunner): at most one run per minInterval, at least one per
// maxInterval, coalesced requests, and a retry after a failed run.
import type { Clock, TimerHandle } from '../wait/clock.ts'

/** Settings of a SyncRunner. */
export interface SyncRunnerOptions {
  /** The work; a rejected promise counts as a failed run. */
  fn: () => Promise<void>
  /** Minimum time between the starts of two runs (--min-sync-period). */
  minIntervalMs: number
  /** A run happens at least this often (periodic resync). */
  maxIntervalMs: number
  /** Time until a failed run is retried. @default maxIntervalMs */
  retryIntervalMs?: number
  clock: Clock
  /** Called with the error of a failed run (the runner never throws). */
  onError?: (err: unknown) => void
}

// Runs fn on demand and periodically, never more often than minInterval, never two at once.
export class SyncRunner {
  readonly #o: Required<Omit<SyncRunnerOptions, 'onError'>> & Pick<SyncRunnerOptions, 'onError'>
  #started = false
  #running = false
  #requested = false
  #lastRun: number | undefined
  #retryAt: number | undefined
  #timer: TimerHandle | undefined
  #runs = 0
  constructor(opts: SyncRunnerOptions) {
    if (!(opts.minIntervalMs >= 0) || !(opts.maxIntervalMs > 0) || opts.minIntervalMs > opts.maxIntervalMs) {
      throw new TypeError(
        `SyncRunner: need 0 <= minIntervalMs <= maxIntervalMs, got ${opts.minIntervalMs} and ${opts.maxIntervalMs}`,
      )
    }
    this.#o = { ...opts, retryIntervalMs: opts.retryIntervalMs ?? opts.maxIntervalMs }
  }
  /** Number of runs started so far. */
  get runs(): number {
    return this.#runs
  }
  // Starts periodic runs (and any runs requested before).
  start(): void {
    this.#started = true
    this.#schedule()
  }
  // Stops all future runs.
  stop(): void {
    this.#started = false
    this.#timer?.cancel()
    this.#timer = undefined
  }
  // Requests a run as soon as minInterval allows; several requests before it starts make one run.
  run(): void {
    this.#requested = true
    this.#schedule()
  }
  // Requests a retry after `ms` (the next run happens then at the latest).
  retryAfter(ms: number): void {
    this.#retryAt = this.#o.clock.now() + ms
    this.#schedule()
  }
  // Sets the one timer to the earliest due time.
  #schedule(): void {
    if (!this.#started || this.#running) return
    const now = this.#o.clock.now()
    const last = this.#lastRun
    let due = last === undefined ? now + this.#o.maxIntervalMs : last + this.#o.maxIntervalMs
    if (this.#requested)
      due = Math.min(due, last === undefined ? now : Math.max(now, last + this.#o.minIntervalMs))
    if (this.#retryAt !== undefined)
      due = Math.min(due, Math.max(this.#retryAt, last === undefined ? now : last + this.#o.minIntervalMs))
    this.#timer?.cancel()
    this.#timer = this.#o.clock.setTimer(() => void this.#fire(), due - now)
  }
  // Runs fn once and schedules the next run.
  async #fire(): Promise<void> {
    this.#timer = undefined
    if (this.#running || !this.#started) return
    this.#running = true
    this.#requested = false
    this.#retryAt = undefined
    this.#lastRun = this.#o.clock.now()
    this.#runs++
    try {
      await this.#o.fn()
    } catch (err) {
      this.#retryAt = this.#o.clock.now() + this.#o.retryIntervalMs
      this.#o.onError?.(err)
    } finally {
      this.#running = false
      this.#schedule()
    }
  }
}
