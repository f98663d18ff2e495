import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nextRestartDelay, type BackoffState } from './restart-backoff.ts'

const settings = { initialMs: 10_000, maxMs: 300_000 }

// Crashes at the given times (ms); the delay each one gets.
function delays(crashTimes: number[]): number[] {
  let state: BackoffState | undefined
  return crashTimes.map((t) => {
    const next = nextRestartDelay(state, t, settings)
    state = next.state
    return next.delayMs
  })
}

test('a crash loop backs off 0, 10s, 20s, 40s … and stays at 5 minutes', () => {
  // Each crash comes right after its restart: at the previous crash time plus the delay plus 1s of running.
  const times: number[] = []
  let t = 0
  const expected = [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]
  let state: BackoffState | undefined
  for (let i = 0; i < expected.length; i++) {
    times.push(t)
    const next = nextRestartDelay(state, t, settings)
    state = next.state
    t += next.delayMs + 1000
  }
  assert.deepEqual(delays(times), expected)
})

test('the back-off starts over once a container ran longer than 2 × max (10 minutes) since its last crash', () => {
  const minute = 60_000
  // Seven quick crashes reach the 5-minute cap; then the container runs 11 minutes before crashing again.
  const quick = [0, 1, 2, 3, 4, 5, 6].map((m) => m * minute)
  const later = 6 * minute + 11 * minute
  assert.deepEqual(
    delays([...quick, later, later + 1000]),
    [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 0, 10_000],
  )
  // Running 9 minutes is not enough: the delay stays at the cap.
  assert.deepEqual(delays([...quick, 6 * minute + 9 * minute]).at(-1), 300_000)
})
