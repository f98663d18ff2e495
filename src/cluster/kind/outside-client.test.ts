import { test } from 'node:test'
import assert from 'node:assert/strict'
import { boundedArgv } from './outside-client.ts'

test('commands in the outside client are bounded by timeout, in whole seconds rounded up, at least 1', () => {
  assert.deepEqual(boundedArgv(['curl', '-sS', 'http://172.18.0.3:30080/'], 15_000), [
    'timeout',
    '15',
    'curl',
    '-sS',
    'http://172.18.0.3:30080/',
  ])
  assert.equal(boundedArgv(['dig'], 1_500)[1], '2')
  assert.equal(boundedArgv(['dig'], 10)[1], '1')
})
