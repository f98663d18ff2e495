// Proxy health as upstream's ProxyHealthServer computes it: per IP family, unhealthy when a queued update waits longer
// than healthTimeout; the proxy is healthy when every family's proxier is.
import type { Clock } from '../wait/clock.ts'
import type { IPFamily } from './ip-family.ts'

/** One family's proxier health (upstream ProxierHealth). */
export interface FamilyHealth {
  lastUpdated: Date | undefined
  healthy: boolean
}

/** The /healthz and /livez answer. */
export interface HealthStatus {
  healthy: boolean
  /** The most recent successful sync of any family. */
  lastUpdated: Date | undefined
  currentTime: Date
  nodeEligible: boolean
  /** Per family, for every family that has a proxier. */
  families: Partial<Record<IPFamily, FamilyHealth>>
}

// Tracks queued and completed syncs per family; healthy once every family synced and none has an update waiting past
// the timeout.
export class ProxyHealth {
  readonly #clock: Clock
  readonly #timeoutMs: number
  readonly #lastUpdated = new Map<IPFamily, number>()
  readonly #oldestQueued = new Map<IPFamily, number>()
  readonly #families = new Set<IPFamily>()
  /** False while the proxy's Node is being deleted or tainted for deletion (only /healthz looks at it). */
  nodeEligible = true
  // healthTimeoutMs is 2 x syncPeriod upstream.
  constructor(clock: Clock, healthTimeoutMs: number) {
    this.#clock = clock
    this.#timeoutMs = healthTimeoutMs
  }
  // Registers a family's proxier: the proxy is not healthy before it has synced once.
  register(family: IPFamily): void {
    this.#families.add(family)
  }
  // A sync was requested (QueuedUpdate): remember when the family's oldest pending one was queued.
  queued(family: IPFamily = 'IPv4'): void {
    this.#families.add(family)
    if (!this.#oldestQueued.has(family)) this.#oldestQueued.set(family, this.#clock.now())
  }
  // A sync of the family succeeded (Updated).
  updated(family: IPFamily = 'IPv4'): void {
    this.#families.add(family)
    this.#lastUpdated.set(family, this.#clock.now())
    this.#oldestQueued.delete(family)
  }
  // Last successful sync time of any family, if any.
  get lastUpdated(): number | undefined {
    const all = [...this.#lastUpdated.values()]
    return all.length ? Math.max(...all) : undefined
  }
  // Current health.
  status(): HealthStatus {
    const now = this.#clock.now()
    const families: Partial<Record<IPFamily, FamilyHealth>> = {}
    let healthy = this.#families.size > 0
    for (const f of [...this.#families].sort()) {
      const last = this.#lastUpdated.get(f)
      const queued = this.#oldestQueued.get(f)
      const ok = last !== undefined && !(queued !== undefined && now - queued > this.#timeoutMs)
      families[f] = { lastUpdated: last === undefined ? undefined : new Date(last), healthy: ok }
      healthy &&= ok
    }
    const last = this.lastUpdated
    return {
      healthy,
      lastUpdated: last === undefined ? undefined : new Date(last),
      currentTime: new Date(now),
      nodeEligible: this.nodeEligible,
      families,
    }
  }
}
