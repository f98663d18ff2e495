// Waiting is a named condition with a deadline and a message saying what was last seen.

/** What one check of a condition saw. */
export type Check<T> = { done: true; value: T } | { done: false; seen: string }

/** A named condition to wait for. */
export interface WaitSpec<T> {
  /** What we wait for, in words: "service web to have 3 ready endpoints". */
  what: string
  /** Returns done with a value, or not done with a description of what it saw. Throwing counts as "seen". */
  check: () => Promise<Check<T>>
  /** @default 60000 */
  timeoutMs?: number
  /** @default 250 */
  intervalMs?: number
  /** Stops the wait early: it then rejects with the signal's reason (an interrupted command, say). */
  signal?: AbortSignal
}

// Thrown when a wait's deadline passes; the message says what, how long and what was last seen.
export class WaitTimeoutError extends Error {
  readonly lastSeen: string
  constructor(what: string, timeoutMs: number, lastSeen: string) {
    super(`timed out after ${timeoutMs}ms waiting for ${what}; last seen: ${lastSeen}`)
    this.name = 'WaitTimeoutError'
    this.lastSeen = lastSeen
  }
}

// Polls check() until it is done or the deadline passes; always makes at least one check.
export async function waitFor<T>(spec: WaitSpec<T>): Promise<T> {
  const timeoutMs = spec.timeoutMs ?? 60_000
  const intervalMs = spec.intervalMs ?? 250
  const deadline = Date.now() + timeoutMs
  let lastSeen: string
  for (;;) {
    spec.signal?.throwIfAborted()
    try {
      const r = await spec.check()
      if (r.done) return r.value
      lastSeen = r.seen
    } catch (err) {
      lastSeen = `error: ${(err as Error).message}`
    }
    const left = deadline - Date.now()
    if (left <= 0) throw new WaitTimeoutError(spec.what, timeoutMs, lastSeen)
    await pause(Math.min(intervalMs, left), spec.signal)
  }
}

// Resolves after ms, or at once when the signal aborts (the loop then throws its reason).
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}
