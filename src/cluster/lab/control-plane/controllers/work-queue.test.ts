// Unit tests of the coalescing work queue, on a fake clock and the queue's own idle signal.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FakeClock } from '../../../../wait/clock.ts'
import { WorkQueue } from './work-queue.ts'

describe('WorkQueue', () => {
  it('runs a key added many times while pending once', async () => {
    const runs: string[] = []
    const q = new WorkQueue((k) => void runs.push(k), { onError: () => assert.fail('no errors') })
    for (let i = 0; i < 5; i++) q.add('a')
    q.add('b')
    assert.equal(q.busy, true)
    await q.whenIdle()
    assert.equal(q.busy, false)
    assert.deepEqual(runs, ['a', 'b'])
    q.stop()
  })
  it('retries a failing key with backoff and reports each failure', async () => {
    const clock = new FakeClock()
    let calls = 0
    const errors: number[] = []
    const q = new WorkQueue(
      () => {
        calls++
        if (calls < 3) throw new Error('boom')
      },
      { onError: (_k, _e, attempt) => errors.push(attempt), baseRetryMs: 100, clock },
    )
    q.add('k')
    await q.whenIdle()
    assert.equal(calls, 1)
    assert.equal(q.delayed, 1, 'the failed key waits for its backoff')
    await clock.advance(99)
    assert.equal(calls, 1, 'not before 100ms')
    await clock.advance(1)
    await q.whenIdle()
    assert.equal(calls, 2)
    await clock.advance(199)
    assert.equal(calls, 2, 'the second retry waits twice as long')
    await clock.advance(1)
    await q.whenIdle()
    assert.equal(calls, 3)
    assert.deepEqual(errors, [1, 2])
    assert.equal(q.delayed, 0, 'a success clears the backoff')
    q.stop()
  })
  it('requeues after the delay a reconcile asks for, and not after stop', async () => {
    const clock = new FakeClock()
    let calls = 0
    const q = new WorkQueue(() => (++calls < 3 ? { requeueAfterMs: 50 } : undefined), {
      onError: () => assert.fail('no errors'),
      clock,
    })
    q.add('k')
    await q.whenIdle()
    assert.equal(calls, 1)
    await clock.advance(50)
    await q.whenIdle()
    assert.equal(calls, 2)
    await clock.advance(50)
    await q.whenIdle()
    assert.equal(calls, 3)
    assert.equal(clock.pendingTimers, 0)
    q.stop()
    q.add('k')
    assert.equal(q.pending, 0)
    assert.equal(q.busy, false)
  })
  it('cancels delayed keys on stop', async () => {
    const clock = new FakeClock()
    let calls = 0
    const q = new WorkQueue(() => void calls++, { onError: () => assert.fail('no errors'), clock })
    q.addAfter('k', 10)
    assert.equal(clock.pendingTimers, 1)
    q.stop()
    assert.equal(clock.pendingTimers, 0)
    await clock.advance(100)
    assert.equal(calls, 0)
  })
})
