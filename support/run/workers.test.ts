import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_PARALLEL } from '../../src/cli/test-options.ts'
import { withWorkers, workersOf } from './workers.ts'

test('the default, SVCNET_PARALLEL, or cucumber’s own --parallel decides the workers', () => {
  const byDefault = withWorkers(['features/dns.feature'], {})
  assert.equal(workersOf(byDefault), DEFAULT_PARALLEL)
  assert.deepEqual(withWorkers(['x.feature'], { SVCNET_PARALLEL: '3' }), ['x.feature', '--parallel', '3'])
  // One worker: no --parallel, so cucumber runs the scenarios in its own process as it always did.
  assert.deepEqual(withWorkers(['x.feature'], { SVCNET_PARALLEL: '1' }), ['x.feature'])
  assert.deepEqual(withWorkers(['--parallel', '4'], { SVCNET_PARALLEL: '1' }), ['--parallel', '4'])
  assert.equal(workersOf(['--parallel=5']), 5)
  assert.equal(workersOf(['--name', 'x']), 1)
  assert.throws(() => withWorkers([], { SVCNET_PARALLEL: 'two' }), /SVCNET_PARALLEL=two: want a whole number/)
})
