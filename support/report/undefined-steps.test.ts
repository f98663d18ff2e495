// Undefined steps are found in cucumber's messages and matched to the closest steps of the catalogue.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { readStepDocs } from '../step-catalogue.ts'
import { closestSteps, undefinedStepTexts } from './undefined-steps.ts'

test('the texts of undefined steps are read from the messages', () => {
  const ndjson = [
    {
      pickle: {
        steps: [
          { id: 'p1', text: 'a client pod' },
          { id: 'p2', text: 'the servise is great' },
        ],
      },
    },
    {
      testCase: {
        testSteps: [
          { id: 't1', pickleStepId: 'p1' },
          { id: 't2', pickleStepId: 'p2' },
          { id: 'h', hookId: 'x' },
        ],
      },
    },
    { testStepFinished: { testStepId: 't1', testStepResult: { status: 'PASSED' } } },
    { testStepFinished: { testStepId: 't2', testStepResult: { status: 'UNDEFINED' } } },
  ]
    .map((m) => JSON.stringify(m))
    .join('\n')
  assert.deepEqual(undefinedStepTexts(ndjson), { texts: ['the servise is great'], unreadable: 0 })
  // A line cut by another run writing the same file is counted, not fatal.
  assert.deepEqual(undefinedStepTexts(`${ndjson}\ntestStepFinished":{"x"`).unreadable, 1)
})

test('a misspelt service type is closest to the step it meant', () => {
  const docs = readStepDocs(join(import.meta.dirname, '..', '..', 'steps'))
  const [best] = closestSteps('the deployment is exposed with a Nodeport service on port 80', docs)
  assert.equal(best?.expression, 'the deployment is exposed with a {service-type} service on port {int}')
  const [env] = closestSteps('the client pods environment has no variable for service "x"', docs)
  assert.equal(env?.expression, "the client pod's environment has no variables for service {string}")
})
