import { test } from 'node:test'
import assert from 'node:assert/strict'
import { labelSelectorText, selectorText } from './label-selector.ts'

test('selectors print as kubectl prints them', () => {
  assert.equal(selectorText({ app: 'web', tier: 'front' }), 'app=web,tier=front')
  assert.equal(selectorText(undefined), '')
  assert.equal(
    labelSelectorText({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'zone', operator: 'NotIn', values: ['x'] },
        { key: 'canary', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    }),
    'app=web,env in (a,b),zone notin (x),canary,!legacy',
  )
  assert.equal(labelSelectorText({}), '')
})
