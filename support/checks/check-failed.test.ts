// Failed product checks: plain messages, Allure's "assertion" classification, and timeouts turned into failures.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CheckAssertionError, check, eventually, isCheckFailure } from './check-failed.ts'

test('check passes on a truthy value and fails with the message as written', () => {
  check(1, 'never shown')
  assert.throws(
    () => check(false, () => 'expected 3 pods, found 2'),
    (err: unknown) =>
      err instanceof CheckAssertionError &&
      err.message === 'expected 3 pods, found 2' &&
      !('actual' in err) &&
      !('expected' in err),
  )
})

test('the class name says Assertion, which is how Allure tells Failed from Broken', () => {
  assert.match(CheckAssertionError.name, /assert/i)
  assert.match(new CheckAssertionError('x').name, /assert/i)
})

test('a wait that times out becomes a failed check that says what was last seen', async () => {
  const err = await eventually({
    what: 'the page to answer',
    timeoutMs: 30,
    intervalMs: 10,
    check: async () => ({ done: false, seen: 'curl exit 7' }),
  }).catch((e: unknown) => e)
  assert.ok(err instanceof CheckAssertionError)
  assert.match(err.message, /^timed out after 30ms waiting for the page to answer; last seen: curl exit 7$/)
  assert.ok(isCheckFailure(err))
})

test('a check that keeps throwing times out as a failed check naming the error', async () => {
  const boom = new TypeError('no cluster')
  const err = await eventually({
    what: 'x',
    timeoutMs: 10,
    check: async () => {
      throw boom
    },
  }).catch((e: unknown) => e)
  assert.ok(err instanceof CheckAssertionError)
  assert.match((err as Error).message, /last seen: error: no cluster/)
  assert.ok(!isCheckFailure(new Error('harness')))
})
