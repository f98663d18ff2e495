// Comparing the probabilities iptables-save prints with the ones a scenario states.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sameProbabilities } from './rule-checks.ts'

test('the 31-bit rounding of the kernel is tolerated', () => {
  // What iptables-save prints for kube-proxy's 0.3333333333 and 0.2000000000.
  assert.ok(sameProbabilities([0.33333333349, 0.5, undefined], [0.3333333333, 0.5, undefined]))
  assert.ok(sameProbabilities([0.20000000019, undefined], [0.2, undefined]))
})

test('a different probability, order or count does not match', () => {
  assert.ok(!sameProbabilities([0.5, 0.3333333333, undefined], [0.3333333333, 0.5, undefined]))
  assert.ok(!sameProbabilities([0.5, undefined], [0.5, 0.5, undefined]))
  assert.ok(!sameProbabilities([0.5, 0.5], [0.5, undefined]))
  assert.ok(!sameProbabilities([0.333], [0.3333333333]))
})
