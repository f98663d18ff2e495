// Unit tests of the benchmark's rate arithmetic.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createRates, formatRates } from './rates.ts'

describe('createRates', () => {
  it('computes overall, first-tenth and last-tenth rates from completion times in any order', () => {
    // 20 creates: the first 18 every 10 ms, the last two 100 ms apart.
    const t = [...Array.from({ length: 18 }, (_, i) => (i + 1) * 10), 280, 380].reverse()
    const r = createRates(t, 500, 40)
    assert.equal(r.overall, (20 * 1000) / 380)
    assert.equal(r.firstTenth, (2 * 1000) / 20)
    assert.equal(r.lastTenth, (2 * 1000) / (380 - 180))
    assert.equal(r.cpuMsPerCreate, 2)
    assert.match(
      formatRates(20, 10, r),
      /^ {3}20 Services, 10 clients: +53 creates\/s .* 2\.00 CPU ms per create$/,
    )
  })
  it('refuses fewer than ten completion times', () => {
    assert.throws(() => createRates([1, 2, 3], 10, 1), RangeError)
  })
})
