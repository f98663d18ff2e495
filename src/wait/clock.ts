// An injectable clock: real time for daemons, a fake one for tests (the proxy's sync runner, the lab controllers).

/** A cancellable timer handle. */
export interface TimerHandle {
  cancel(): void
}

/** Time and timers. */
export interface Clock {
  // Milliseconds since the epoch.
  now(): number
  // Calls fn after ms milliseconds.
  setTimer(fn: () => void, ms: number): TimerHandle
}

/** The real clock. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms))
    return { cancel: () => clearTimeout(t) }
  },
}

// A manual clock whose timers fire only when advance() passes their due time.
export class FakeClock implements Clock {
  #now: number
  #timers: { due: number; fn: () => void; seq: number; cancelled: boolean }[] = []
  #seq = 0
  constructor(start = 1_000_000) {
    this.#now = start
  }
  now(): number {
    return this.#now
  }
  setTimer(fn: () => void, ms: number): TimerHandle {
    const t = { due: this.#now + Math.max(0, ms), fn, seq: this.#seq++, cancelled: false }
    this.#timers.push(t)
    return { cancel: () => void (t.cancelled = true) }
  }
  // Number of timers that have not fired or been cancelled.
  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length
  }
  // Moves time forward, firing due timers in order and letting promise callbacks settle between them.
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms
    await settle()
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled)
      const next = this.#timers.filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.seq - b.seq)[0]
      if (!next) break
      this.#now = Math.max(this.#now, next.due)
      next.cancelled = true
      next.fn()
      await settle()
    }
    this.#now = end
  }
}

// Lets pending promise callbacks run.
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
