import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  fieldMatcher,
  labelMatcher,
  labelSelectorMatcher,
  labelSelectorToString,
  matchesSelectorMap,
  parseLabelSelector,
} from './selector.ts'
import { StatusError } from './status-error.ts'

test('equality, inequality, set-based and existence label requirements', () => {
  const m = labelMatcher('app=web, tier!=db,env in (prod, staging),!legacy,zone,track notin (canary)')
  assert.equal(m({ app: 'web', tier: 'fe', env: 'prod', zone: 'a' }), true)
  assert.equal(m({ app: 'web', env: 'prod', zone: 'a' }), true, 'tier!=db matches a missing tier')
  assert.equal(m({ app: 'web', tier: 'db', env: 'prod', zone: 'a' }), false)
  assert.equal(m({ app: 'web', env: 'dev', zone: 'a' }), false)
  assert.equal(m({ app: 'web', env: 'prod', zone: 'a', legacy: 'x' }), false)
  assert.equal(m({ app: 'web', env: 'prod' }), false, 'zone must exist')
  assert.equal(m({ app: 'web', env: 'prod', zone: 'a', track: 'canary' }), false)
  assert.equal(labelMatcher('app==web')({ app: 'web' }), true)
  assert.equal(labelMatcher('')(undefined), true)
  assert.equal(labelMatcher('app')(undefined), false)
})

test('malformed label selectors are 400 errors naming the selector', () => {
  for (const bad of ['app in web', 'app=(x', 'a b', 'env in (a,b']) {
    assert.throws(
      () => parseLabelSelector(bad),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.message.includes(bad),
      bad,
    )
  }
})

test('LabelSelector objects: matchLabels and matchExpressions; nil matches nothing, {} everything', () => {
  const m = labelSelectorMatcher({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['a', 'b'] },
      { key: 'old', operator: 'DoesNotExist' },
    ],
  })
  assert.equal(m({ app: 'web', env: 'a' }), true)
  assert.equal(m({ app: 'web', env: 'c' }), false)
  assert.equal(m({ app: 'web', env: 'a', old: '1' }), false)
  assert.equal(labelSelectorMatcher(undefined)({ a: 'b' }), false)
  assert.equal(labelSelectorMatcher({})({ a: 'b' }), true)
  assert.equal(
    labelSelectorToString({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'e', operator: 'NotIn', values: ['x', 'y'] }],
    }),
    'app=web,e notin (x,y)',
  )
  assert.equal(matchesSelectorMap({}, { a: 'b' }), false)
  assert.equal(matchesSelectorMap({ a: 'b' }, { a: 'b', c: 'd' }), true)
})

test('field selectors compare dotted paths with = and !=', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: { nodeName: 'w1' },
    status: { phase: 'Running' },
  }
  assert.equal(fieldMatcher('spec.nodeName=w1,status.phase!=Failed')(pod), true)
  assert.equal(fieldMatcher('metadata.name==q')(pod), false)
  assert.equal(fieldMatcher('spec.nodeName=')({ spec: {} }), true, 'missing field equals empty')
  assert.throws(() => fieldMatcher('nonsense'), StatusError)
})
