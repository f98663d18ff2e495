// The guard against captured outcomes (refusals, failed requests) that no step checked.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PendingChecks } from './pending-checks.ts'

test('nothing captured: nothing to complain about', () => {
  assert.equal(new PendingChecks().uncheckedMessage(), undefined)
})

test('a refusal that no step checked is named in the message', () => {
  const p = new PendingChecks()
  p.capture('create service wide', 'the API server refused service "wide": 422 out of range')
  assert.equal(
    p.uncheckedMessage(),
    'the scenario captured an outcome that no step checked: the API server refused service "wide": 422 out of range (add a Then step that checks it)',
  )
})

test('a checked outcome is forgotten; the others stay', () => {
  const p = new PendingChecks()
  p.capture('a', 'refusal of a')
  p.capture('b', 'refusal of b')
  p.checked('a')
  assert.match(p.uncheckedMessage() ?? '', /an outcome that no step checked: refusal of b/)
  p.checked('b')
  assert.equal(p.uncheckedMessage(), undefined)
})
