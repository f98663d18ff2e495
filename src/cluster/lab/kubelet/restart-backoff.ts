// The kubelet's crash-loop back-off as upstream's flowcontrol.Backoff: 0, then 10s doubling to 5 min, forgotten after 2 × max.
import type { BackoffSettings } from './container-runner.ts'

/** What the back-off remembers between crashes of one container. */
export interface BackoffState {
  /** The delay the next crash gets. */
  nextMs: number
  /** When the last crash was handled (ms, the caller's clock). */
  lastMs: number
}

// The delay before restarting a container that ended at nowMs, and the state for its next crash. A container
// whose last crash is more than 2 × maxMs ago (10 minutes with the defaults) starts over, as upstream's does.
export function nextRestartDelay(
  prev: BackoffState | undefined,
  nowMs: number,
  settings: BackoffSettings,
): { delayMs: number; state: BackoffState } {
  if (!prev || nowMs - prev.lastMs > 2 * settings.maxMs) {
    return { delayMs: 0, state: { nextMs: settings.initialMs, lastMs: nowMs } }
  }
  return {
    delayMs: prev.nextMs,
    state: { nextMs: Math.min(prev.nextMs * 2, settings.maxMs), lastMs: nowMs },
  }
}
