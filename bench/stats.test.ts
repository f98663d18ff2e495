import { test } from 'node:test'
import assert from 'node:assert/strict'
import { percentile, summarise } from './stats.ts'

test('nearest-rank percentiles', () => {
  const s = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
  assert.equal(percentile(s, 50), 5)
  assert.equal(percentile(s, 90), 9)
  assert.equal(percentile(s, 99), 10)
  assert.equal(percentile(s, 0), 1)
  assert.deepEqual(summarise([3]), { n: 1, min: 3, p50: 3, p90: 3, p99: 3, max: 3 })
  assert.throws(() => percentile([], 50), /empty sample/)
})
