// Turns the completion times of a burst of creates into overall, first-tenth and last-tenth rates.

/** Rates of one run of creates, in creates per second. */
export interface CreateRates {
  /** All creates over the time the last one took to complete. */
  overall: number
  /** The first tenth of the creates (by completion order) over the time they took. */
  firstTenth: number
  /** The last tenth over the time between the end of the ninth tenth and the end of the run. */
  lastTenth: number
  /** Milliseconds from the first request until the controllers were idle again. */
  convergedMs: number
  /** CPU time (user + system) of the whole process — clients, API server, controllers — per create, in ms. */
  cpuMsPerCreate: number
}

// Rates from completion times (ms since the start, any order), the time the controllers were idle again and the
// process's CPU time over the run.
export function createRates(doneAtMs: readonly number[], convergedMs: number, cpuMs: number): CreateRates {
  const t = [...doneAtMs].sort((a, b) => a - b)
  const n = t.length
  if (n < 10) throw new RangeError(`need at least 10 completion times, got ${n}`)
  const tenth = Math.floor(n / 10)
  const perSecond = (count: number, ms: number): number => (ms > 0 ? (count * 1000) / ms : Infinity)
  return {
    overall: perSecond(n, t[n - 1]!),
    firstTenth: perSecond(tenth, t[tenth - 1]!),
    lastTenth: perSecond(tenth, t[n - 1]! - t[n - 1 - tenth]!),
    convergedMs,
    cpuMsPerCreate: cpuMs / n,
  }
}

// One line of the benchmark's output.
export function formatRates(count: number, clients: number, r: CreateRates): string {
  const f = (x: number): string => String(Math.round(x)).padStart(6)
  return (
    `${String(count).padStart(5)} Services, ${clients} clients: ${f(r.overall)} creates/s ` +
    `(first tenth ${f(r.firstTenth)}/s, last tenth ${f(r.lastTenth)}/s), ` +
    `controllers idle after ${Math.round(r.convergedMs)} ms, ${r.cpuMsPerCreate.toFixed(2)} CPU ms per create`
  )
}
