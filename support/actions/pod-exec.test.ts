// Reading a command's exit code from the exec API's final Status.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exitCodeOf } from './pod-exec.ts'

test('Success is exit code 0', () => {
  assert.equal(exitCodeOf({ status: 'Success' }), 0)
})

test('NonZeroExitCode carries the code as the ExitCode cause (curl refused = 7)', () => {
  assert.equal(
    exitCodeOf({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      message: 'command terminated with non-zero exit code: error executing command [curl …], exit code 7',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    }),
    7,
  )
})

test('any other failure is an error that quotes the Status', () => {
  assert.throws(
    () => exitCodeOf({ status: 'Failure', reason: 'InternalError', message: 'container not found ("curl")' }),
    /the exec failed: InternalError: container not found/,
  )
})
