// Reachability tables: rows read into requests and expected outcomes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { outcomeIs, parseReachability } from './reachability.ts'

test('rows become requests with an expected result', () => {
  assert.deepEqual(
    parseReachability([
      { from: 'client pod', to: 'cluster IP', result: 'answered' },
      { from: 'outside client', to: 'worker node port', result: 'no answer' },
      { from: 'outside client', to: 'load-balancer IP', result: 'answered' },
    ]).map((r) => [r.from, r.to, r.result]),
    [
      ['client pod', { kind: 'cluster IP' }, 'answered'],
      ['outside client', { kind: 'node port', node: 'worker' }, 'no answer'],
      ['outside client', { kind: 'load-balancer IP' }, 'answered'],
    ],
  )
})

test('every bad cell is reported at once', () => {
  assert.throws(
    () => parseReachability([{ from: 'laptop', to: 'the moon', result: 'maybe' }]),
    /from "laptop" is not one of .*result "maybe" is not one of .*to "the moon" is not "cluster IP"/,
  )
})

test('outcomes: answered is HTTP 200, refused is curl exit 7, no answer is any failure', () => {
  assert.ok(outcomeIs('answered', 0, 200))
  assert.ok(!outcomeIs('answered', 0, 503))
  assert.ok(outcomeIs('refused', 7, 0))
  assert.ok(!outcomeIs('refused', 28, 0))
  assert.ok(outcomeIs('no answer', 28, 0) && outcomeIs('no answer', 7, 0))
  assert.ok(!outcomeIs('no answer', 0, 200))
})
