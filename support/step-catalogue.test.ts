// The step catalogue: read from the step files, every example matches its step, and the generated docs are current.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  catalogueProblems,
  readStepDocs,
  renderReadmeTable,
  renderStepsMarkdown,
  stepDocsOf,
  withReadmeTable,
} from './step-catalogue.ts'

const root = join(import.meta.dirname, '..')
const docs = readStepDocs(join(root, 'steps'))

test('a step is read with its comment and example', () => {
  const source = [
    '// Deletes a Service of the scenario.',
    '// e.g. When service "web" is deleted',
    "When('service {string} is deleted', async function () {})",
    '',
    'Then(',
    "  'it gets node port {int}',",
    '  function () {},',
    ')',
  ].join('\n')
  assert.deepEqual(stepDocsOf('x-steps.ts', source), [
    {
      keyword: 'When',
      expression: 'service {string} is deleted',
      description: 'Deletes a Service of the scenario.',
      example: 'When service "web" is deleted',
      file: 'x-steps.ts',
    },
    {
      keyword: 'Then',
      expression: 'it gets node port {int}',
      description: '',
      example: '',
      file: 'x-steps.ts',
    },
  ])
})

test('missing comments and examples that do not match are reported, all at once', () => {
  const problems = catalogueProblems([
    { keyword: 'Then', expression: 'it gets node port {int}', description: '', example: '', file: 'a.ts' },
    {
      keyword: 'When',
      expression: 'the deployment is exposed with a {service-type} service on port {int}',
      description: 'x',
      example: 'When the deployment is exposed with a Nodeport service on port 80',
      file: 'b.ts',
    },
  ])
  assert.equal(problems.length, 3)
  assert.match(
    problems[2]!,
    /b\.ts: .*example "When the deployment is exposed with a Nodeport service on port 80" does not match/,
  )
})

test('every step in steps/ has a description and an example that matches it', () => {
  assert.ok(docs.length >= 20, `found only ${docs.length} steps`)
  assert.deepEqual(catalogueProblems(docs), [])
})

test('docs/steps.md is what `svcnet steps --write` generates (run it when this fails)', () => {
  assert.equal(readFileSync(join(root, 'docs', 'steps.md'), 'utf8'), renderStepsMarkdown(docs))
})

test('the README step catalogue is what `svcnet steps --write` generates (run it when this fails)', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  assert.equal(withReadmeTable(readme, renderReadmeTable(docs)), readme)
})
