import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FakeClock } from '../wait/clock.ts'
import { SyncRunner } from './sync-runner.ts'

// A runner whose fn records start times and can be told to fail.
function setup(opts: { min: number; max: number; retry?: number }) {
  const clock = new FakeClock(0)
  const starts: number[] = []
  const errors: unknown[] = []
  let fail = 0
  const runner = new SyncRunner({
    clock,
    minIntervalMs: opts.min,
    maxIntervalMs: opts.max,
    retryIntervalMs: opts.retry,
    onError: (e) => errors.push(e),
    fn: async () => {
      starts.push(clock.now())
      if (fail > 0) {
        fail--
        throw new Error('restore failed')
      }
    },
  })
  return { clock, runner, starts, errors, failNext: (n: number) => void (fail = n) }
}

test('first requested run happens at once; a burst is coalesced into one run after minInterval', async () => {
  const { clock, runner, starts } = setup({ min: 1000, max: 30_000 })
  runner.start()
  runner.run()
  await clock.advance(0)
  assert.deepEqual(starts, [0])
  await clock.advance(100)
  runner.run()
  runner.run()
  runner.run()
  await clock.advance(899)
  assert.deepEqual(starts, [0], 'not before minInterval')
  await clock.advance(1)
  assert.deepEqual(starts, [0, 1000])
  await clock.advance(5000)
  assert.deepEqual(starts, [0, 1000], 'no extra runs without requests')
})

test('runs periodically at maxInterval without requests', async () => {
  const { clock, runner, starts } = setup({ min: 1000, max: 30_000 })
  runner.start()
  await clock.advance(95_000)
  assert.deepEqual(starts, [30_000, 60_000, 90_000])
})

test('nothing runs before start(), requests made earlier run at start', async () => {
  const { clock, runner, starts } = setup({ min: 1000, max: 30_000 })
  runner.run()
  await clock.advance(10_000)
  assert.deepEqual(starts, [])
  runner.start()
  await clock.advance(0)
  assert.deepEqual(starts, [10_000])
})

test('a failed run is retried after the retry interval and reported', async () => {
  const { clock, runner, starts, errors, failNext } = setup({ min: 1000, max: 60_000, retry: 5000 })
  failNext(1)
  runner.start()
  runner.run()
  await clock.advance(0)
  assert.equal(errors.length, 1)
  await clock.advance(4999)
  assert.deepEqual(starts, [0])
  await clock.advance(1)
  assert.deepEqual(starts, [0, 5000])
  assert.equal(errors.length, 1)
})

test('a request during a run triggers exactly one follow-up run', async () => {
  const clock = new FakeClock(0)
  const starts: number[] = []
  let release: () => void = () => {}
  const runner = new SyncRunner({
    clock,
    minIntervalMs: 1000,
    maxIntervalMs: 30_000,
    fn: () => {
      starts.push(clock.now())
      return new Promise<void>((resolve) => (release = resolve))
    },
  })
  runner.start()
  runner.run()
  await clock.advance(0)
  runner.run()
  runner.run()
  await clock.advance(2000)
  assert.deepEqual(starts, [0], 'never two runs at once')
  release()
  await clock.advance(0)
  assert.deepEqual(starts, [0, 2000])
  release()
  await clock.advance(10_000)
  assert.deepEqual(starts, [0, 2000])
  runner.stop()
  assert.equal(clock.pendingTimers, 0)
})

test('invalid intervals are rejected with a message naming them', () => {
  assert.throws(
    () => new SyncRunner({ clock: new FakeClock(), fn: async () => {}, minIntervalMs: 5, maxIntervalMs: 1 }),
    /minIntervalMs <= maxIntervalMs, got 5 and 1/,
  )
})
