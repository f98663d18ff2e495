// Evidence is never an empty file: empty output is replaced by a sentence saying what was empty and why.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { explainEmpty, withAnsweringNodes } from './evidence.ts'

test('empty output becomes an explanation; anything else is kept as it is', () => {
  assert.equal(
    explainEmpty('  \n', 'iptables-save on worker printed nothing'),
    '(empty) iptables-save on worker printed nothing',
  )
  assert.equal(explainEmpty('*nat\nCOMMIT\n', 'x'), '*nat\nCOMMIT\n')
})

test('requests name the node of the pod that answered them', () => {
  const probes = [
    { at: 't', from: 'outside', url: 'http://a/', answeredBy: 'web-1', outcome: 'HTTP 200', times: 2 },
    { at: 't', from: 'outside', url: 'http://a/', answeredBy: undefined, outcome: 'curl exit 7', times: 1 },
  ]
  assert.deepEqual(
    withAnsweringNodes(probes, new Map([['web-1', 'kind-worker']])).map((p) => p.answeredByNode),
    ['kind-worker', undefined],
  )
})
