// Evidence is never an empty file: empty output is replaced by a sentence saying what was empty and why.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { explainEmpty } from './evidence.ts'

test('empty output becomes an explanation; anything else is kept as it is', () => {
  assert.equal(
    explainEmpty('  \n', 'iptables-save on worker printed nothing'),
    '(empty) iptables-save on worker printed nothing',
  )
  assert.equal(explainEmpty('*nat\nCOMMIT\n', 'x'), '*nat\nCOMMIT\n')
})
