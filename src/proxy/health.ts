// Proxy health as upstream's ProxyHealthServer computes it: unhealthy when a queued update waits longer than healthTimeout.
import type { Clock } from '../wait/clock.ts'

/** The /healthz and /livez answer. */
export interface HealthStatus {
  healthy: boolean
  lastUpdated: Date | undefined
  currentTime: Date
  nodeEligible: boolean
}

// Tracks queued and completed syncs; healthy once a sync succeeded and no update has waited past the timeout.
export class ProxyHealth {
  readonly #clock: Clock
  readonly #timeoutMs: number
  #lastUpdated: number | undefined
  #oldestQueued: number | undefined
  /** False while the proxy's Node is being deleted or tainted for deletion (only /healthz looks at it). */
  nodeEligible = true
  // healthTimeoutMs is 2 x syncPeriod upstream.
  constructor(clock: Clock, healthTimeoutMs: number) {
    this.#clock = clock
    this.#timeoutMs = healthTimeoutMs
  }
  // A sync was requested (QueuedUpdate): remember when the oldest pending one was queued.
  queued(): void {
    this.#oldestQueued ??= this.#clock.now()
  }
  // A sync succeeded (Updated).
  updated(): void {
    this.#lastUpdated = this.#clock.now()
    this.#oldestQueued = undefined
  }
  // Last successful sync time, if any.
  get lastUpdated(): number | undefined {
    return this.#lastUpdated
  }
  // Current health.
  status(): HealthStatus {
    const now = this.#clock.now()
    const stale = this.#oldestQueued !== undefined && now - this.#oldestQueued > this.#timeoutMs
    return {
      healthy: this.#lastUpdated !== undefined && !stale,
      lastUpdated: this.#lastUpdated === undefined ? undefined : new Date(this.#lastUpdated),
      currentTime: new Date(now),
      nodeEligible: this.nodeEligible,
    }
  }
}
