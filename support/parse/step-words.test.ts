// The step vocabulary: durations, probability lists and word alternations.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { NODE_NAMES, oneOf, parseDuration, parseProbabilities } from './step-words.ts'

test('durations in words become milliseconds', () => {
  assert.equal(parseDuration('10 seconds'), 10_000)
  assert.equal(parseDuration('1 second'), 1000)
  assert.equal(parseDuration('2 minutes'), 120_000)
  assert.equal(parseDuration('500 milliseconds'), 500)
})

test('a duration without a known unit is an error that shows an example', () => {
  assert.throws(() => parseDuration('10 sec'), /"10 sec" is not a duration such as "10 seconds"/)
  assert.throws(() => parseDuration('ten seconds'), /not a duration/)
})

test('probability lists are read in order', () => {
  assert.deepEqual(parseProbabilities('0.3333333333, 0.5000000000'), [0.3333333333, 0.5])
  assert.deepEqual(parseProbabilities('0.5'), [0.5])
})

test('a number above 1 is not a probability', () => {
  assert.throws(() => parseProbabilities('0.5, 1.5'), /not probabilities between 0 and 1: 1.5/)
})

test('word alternations match the longest word first', () => {
  const re = new RegExp(`^(?:${oneOf(NODE_NAMES).source})$`)
  assert.ok(re.test('worker2'))
  assert.ok(re.test('control-plane'))
  assert.equal(oneOf(NODE_NAMES).exec('worker2')?.[0], 'worker2')
  assert.ok(!re.test('worker3'))
})
