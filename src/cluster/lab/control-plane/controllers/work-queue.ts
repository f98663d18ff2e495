// A coalescing work queue: keys added while pending run once; one key is processed at a time.
import { realClock, type Clock, type TimerHandle } from '../../../../wait/clock.ts'

/** What a reconcile asks of the queue after it returns. */
export interface ReconcileResult {
  /** Run this key again after this many milliseconds (e.g. waiting for pods to go, minReadySeconds). */
  requeueAfterMs?: number
}

/** Options for a WorkQueue. */
export interface WorkQueueOptions {
  /** Called for a key whose reconcile threw; the key is retried with exponential backoff. */
  onError: (key: string, err: unknown, attempt: number) => void
  /** @default 10 */
  baseRetryMs?: number
  /** @default 5000 */
  maxRetryMs?: number
  /** Time for delayed keys and retries. @default realClock */
  clock?: Clock
}

// Runs reconcile(key) for added keys, one at a time, coalescing duplicates and retrying failures.
export class WorkQueue {
  readonly #reconcile: (key: string) => ReconcileResult | void | Promise<ReconcileResult | void>
  readonly #opts: Required<WorkQueueOptions>
  readonly #dirty = new Set<string>()
  readonly #timers = new Map<string, TimerHandle>()
  readonly #failures = new Map<string, number>()
  #idleWaiters: (() => void)[] = []
  #running = false
  #scheduled = false
  #stopped = false

  constructor(
    reconcile: (key: string) => ReconcileResult | void | Promise<ReconcileResult | void>,
    opts: WorkQueueOptions,
  ) {
    this.#reconcile = reconcile
    this.#opts = { baseRetryMs: 10, maxRetryMs: 5000, clock: realClock, ...opts }
  }

  // Marks a key for reconcile soon; a key already pending runs once.
  add(key: string): void {
    if (this.#stopped) return
    this.#dirty.add(key)
    this.#schedule()
  }

  // Marks a key for reconcile after a delay on the queue's clock (an earlier pending delay for the key wins).
  addAfter(key: string, ms: number): void {
    if (this.#stopped || this.#timers.has(key)) return
    const t = this.#opts.clock.setTimer(() => {
      this.#timers.delete(key)
      this.add(key)
    }, ms)
    this.#timers.set(key, t)
  }

  // Number of keys waiting to run now.
  get pending(): number {
    return this.#dirty.size
  }

  // Number of keys waiting for a delay or a retry backoff to pass.
  get delayed(): number {
    return this.#timers.size
  }

  // Whether a key is waiting to run now or a reconcile is running (delayed keys do not count).
  get busy(): boolean {
    return !this.#stopped && (this.#running || this.#scheduled || this.#dirty.size > 0)
  }

  // Resolves once no key is waiting to run now and no reconcile is running (at once when already so).
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  // Stops processing and cancels delayed keys.
  stop(): void {
    this.#stopped = true
    this.#dirty.clear()
    for (const t of this.#timers.values()) t.cancel()
    this.#timers.clear()
    this.#wakeIdleWaiters()
  }

  #schedule(): void {
    if (this.#scheduled || this.#running) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    if (this.#running) return
    this.#running = true
    try {
      while (!this.#stopped && this.#dirty.size > 0) {
        const key = this.#dirty.values().next().value as string
        this.#dirty.delete(key)
        await this.#runOne(key)
      }
    } finally {
      this.#running = false
      if (this.#dirty.size > 0) this.#schedule()
      else this.#wakeIdleWaiters()
    }
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters
    this.#idleWaiters = []
    for (const w of waiters) w()
  }

  async #runOne(key: string): Promise<void> {
    try {
      const result = await this.#reconcile(key)
      this.#failures.delete(key)
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs)
    } catch (err) {
      const attempt = (this.#failures.get(key) ?? 0) + 1
      this.#failures.set(key, attempt)
      this.#opts.onError(key, err, attempt)
      const delay = Math.min(this.#opts.maxRetryMs, this.#opts.baseRetryMs * 2 ** (attempt - 1))
      this.addAfter(key, delay)
    }
  }
}
