import { test } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor, WaitTimeoutError } from './wait-for.ts'

test('a wait returns the value once its condition is done', async () => {
  let n = 0
  const v = await waitFor({
    what: 'three checks',
    intervalMs: 1,
    check: async () => (++n === 3 ? { done: true, value: n } : { done: false, seen: `n=${n}` }),
  })
  assert.equal(v, 3)
})

test('a wait that times out says what it waited for and what it last saw', async () => {
  await assert.rejects(
    waitFor({
      what: 'never',
      timeoutMs: 20,
      intervalMs: 5,
      check: async () => ({ done: false, seen: 'still no' }),
    }),
    (err: unknown) =>
      err instanceof WaitTimeoutError && /waiting for never; last seen: still no/.test(err.message),
  )
})

test('an aborted wait stops at once with the abort reason, also while pausing', async () => {
  const ac = new AbortController()
  const t0 = Date.now()
  const waiting = waitFor({
    what: 'something slow',
    timeoutMs: 60_000,
    intervalMs: 30_000,
    signal: ac.signal,
    check: async () => ({ done: false, seen: 'not yet' }),
  })
  setTimeout(() => ac.abort(new Error('interrupted by SIGINT')), 10)
  await assert.rejects(waiting, /interrupted by SIGINT/)
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0}ms`)
})
