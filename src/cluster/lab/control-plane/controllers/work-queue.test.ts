// Unit tests of the coalescing work queue.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { waitFor } from '../../../../wait/wait-for.ts'
import { WorkQueue } from './work-queue.ts'

describe('WorkQueue', () => {
  it('runs a key added many times while pending once', async () => {
    const runs: string[] = []
    const q = new WorkQueue((k) => void runs.push(k), { onError: () => assert.fail('no errors') })
    for (let i = 0; i < 5; i++) q.add('a')
    q.add('b')
    await waitFor({
      what: 'two runs',
      timeoutMs: 1000,
      intervalMs: 5,
      check: async () => (runs.length >= 2 ? { done: true, value: 1 } : { done: false, seen: `${runs}` }),
    })
    assert.deepEqual(runs, ['a', 'b'])
    q.stop()
  })
  it('retries a failing key with backoff and reports each failure', async () => {
    let calls = 0
    const errors: number[] = []
    const q = new WorkQueue(
      () => {
        calls++
        if (calls < 3) throw new Error('boom')
      },
      { onError: (_k, _e, attempt) => errors.push(attempt), baseRetryMs: 1 },
    )
    q.add('k')
    await waitFor({
      what: 'third call',
      timeoutMs: 1000,
      intervalMs: 5,
      check: async () => (calls === 3 ? { done: true, value: 1 } : { done: false, seen: `${calls}` }),
    })
    assert.deepEqual(errors, [1, 2])
    q.stop()
  })
  it('requeues after the delay a reconcile asks for, and not after stop', async () => {
    let calls = 0
    const q = new WorkQueue(() => (++calls < 3 ? { requeueAfterMs: 1 } : undefined), {
      onError: () => assert.fail('no errors'),
    })
    q.add('k')
    await waitFor({
      what: 'three calls',
      timeoutMs: 1000,
      intervalMs: 5,
      check: async () => (calls === 3 ? { done: true, value: 1 } : { done: false, seen: `${calls}` }),
    })
    q.stop()
    q.add('k')
    assert.equal(q.pending, 0)
  })
})
