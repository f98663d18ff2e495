import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Envelope } from '@cucumber/messages'
import { formatDuration, ProgressLines } from './progress-lines.ts'

const at = (s: number) => ({ seconds: 1_700_000_000 + Math.floor(s), nanos: Math.round((s % 1) * 1e9) })

// The messages cucumber sends for one scenario: its pickle, test case (a hook and two steps) and the results.
function scenario(
  id: string,
  line: number,
  name: string,
  results: Array<[string, string?]>,
  from: number,
  to: number,
) {
  const pickle = {
    id: `p${id}`,
    uri: 'features/nodeport.feature',
    location: { line, column: 3 },
    name,
    language: 'en',
    astNodeIds: [],
    tags: [],
    steps: [
      { id: `p${id}s1`, text: 'a deployment "hello"', astNodeIds: [] },
      { id: `p${id}s2`, text: 'the page is served', astNodeIds: [] },
    ],
  }
  const testSteps = [
    { id: `t${id}h`, hookId: 'h1' },
    { id: `t${id}s1`, pickleStepId: `p${id}s1` },
    { id: `t${id}s2`, pickleStepId: `p${id}s2` },
  ]
  const definitions = [
    { pickle },
    { testCase: { id: `t${id}`, pickleId: `p${id}`, testSteps, testRunStartedId: 'r' } },
  ]
  const run = [
    { testCaseStarted: { id: `c${id}`, testCaseId: `t${id}`, attempt: 0, timestamp: at(from) } },
    ...results.map(([status, message], i) => ({
      testStepFinished: {
        testCaseStartedId: `c${id}`,
        testStepId: testSteps[i]!.id,
        testStepResult: { status, duration: { seconds: 0, nanos: 0 }, ...(message ? { message } : {}) },
        timestamp: at(to),
      },
    })),
    { testCaseFinished: { testCaseStartedId: `c${id}`, timestamp: at(to), willBeRetried: false } },
  ]
  return { definitions: definitions as unknown as Envelope[], run: run as unknown as Envelope[] }
}

test('one line per finished scenario, with the count, status, time and place, in the order they finish', () => {
  const p = new ProgressLines()
  const a = scenario('a', 7, 'Outside reaches pods', [['PASSED'], ['PASSED'], ['PASSED']], 1, 13.34)
  const b = scenario(
    'b',
    15,
    'A chosen node port',
    [
      ['PASSED'],
      ['FAILED', 'timed out after 30000ms waiting for x\nlast seen: y\nmore\nmore\ncut'],
      ['SKIPPED'],
    ],
    2,
    97,
  )
  const lines: string[] = []
  const feed = (es: Envelope[]) => es.forEach((e) => lines.push(...p.onEnvelope(e)))
  feed([
    {
      hook: {
        id: 'h1',
        name: 'create the scenario namespace',
        type: 'BEFORE_TEST_CASE',
        sourceReference: {},
      },
    } as unknown as Envelope,
  ])
  feed([{ testRunStarted: { timestamp: at(0) } } as unknown as Envelope])
  feed([...a.definitions, ...b.definitions])
  // Parallel workers: b starts, a starts and finishes first.
  feed([b.run[0]!, ...a.run, ...b.run.slice(1)])
  feed([{ testRunFinished: { success: false, timestamp: at(100) } } as unknown as Envelope])
  assert.deepEqual(lines, [
    '[1/2] passed     12.3s  nodeport.feature:7  Outside reaches pods',
    '[2/2] failed     1m35s  nodeport.feature:15  A chosen node port',
    '      step "a deployment "hello"": timed out after 30000ms waiting for x\n      last seen: y\n      more\n      more',
    '2 scenarios: 1 failed, 1 passed in 1m40s',
  ])
})

test('a skipped scenario shows the reason its hook attached; a failing hook is named', () => {
  const p = new ProgressLines()
  p.onEnvelope({
    hook: { id: 'h1', name: 'the cluster is running', type: 'BEFORE_TEST_CASE', sourceReference: {} },
  } as unknown as Envelope)
  const s = scenario('s', 3, 'Needs an outside client', [['SKIPPED'], ['SKIPPED'], ['SKIPPED']], 0, 0.2)
  const f = scenario(
    'f',
    9,
    'No cluster',
    [
      [
        'FAILED',
        'Error: the cluster never started: no root\n    at currentCluster (support/cluster-registry.ts:16:9)',
      ],
    ],
    0,
    0.1,
  )
  for (const e of [...s.definitions, ...f.definitions]) p.onEnvelope(e)
  const out: string[] = []
  for (const e of s.run) {
    if ('testCaseFinished' in e)
      p.onEnvelope({
        attachment: {
          testCaseStartedId: 'cs',
          fileName: 'skipped-because.txt',
          body: 'skipped: needs outside-client (lab has none)',
          mediaType: 'text/plain',
        },
      } as unknown as Envelope)
    out.push(...p.onEnvelope(e))
  }
  for (const e of f.run) out.push(...p.onEnvelope(e))
  assert.deepEqual(out, [
    '[1/2] skipped     0.2s  nodeport.feature:3  Needs an outside client  (needs outside-client (lab has none))',
    '[2/2] failed      0.1s  nodeport.feature:9  No cluster',
    '      hook "the cluster is running": Error: the cluster never started: no root',
  ])
  assert.equal(p.summary(), '2 scenarios: 1 failed, 1 skipped')
})

test('a scenario that will be retried is not counted yet', () => {
  const p = new ProgressLines()
  const s = scenario('r', 5, 'Flaky', [['FAILED', 'boom']], 0, 1)
  for (const e of s.definitions) p.onEnvelope(e)
  const finished = s.run.at(-1) as unknown as { testCaseFinished: { willBeRetried: boolean } }
  finished.testCaseFinished.willBeRetried = true
  const out = s.run.flatMap((e) => p.onEnvelope(e))
  assert.equal(out.length, 1)
  assert.match(out[0]!, /^ {2}retry +1\.0s {2}nodeport\.feature:5 {2}Flaky {2}\(hook "a hook": boom\)$/)
  assert.equal(p.summary(), '0 scenarios: none run')
})

test('durations read as seconds, then minutes and seconds', () => {
  assert.equal(formatDuration(0), '0.0s')
  assert.equal(formatDuration(59_940), '59.9s')
  assert.equal(formatDuration(61_000), '1m01s')
  assert.equal(formatDuration(754_400), '12m34s')
})

test("an undefined step shows cucumber's snippet for it", () => {
  const p = new ProgressLines()
  const s = scenario('u', 4, 'Typo', [['PASSED'], ['UNDEFINED']], 0, 0.5)
  for (const e of s.definitions) p.onEnvelope(e)
  const suggestion = {
    suggestion: {
      id: 'sg',
      pickleStepId: 'pus1',
      snippets: [
        {
          language: 'typescript',
          code: "Given('a deployment {string}', function (s) {\n  return 'pending'\n})",
        },
      ],
    },
  }
  p.onEnvelope(suggestion as unknown as Envelope)
  const out = s.run.flatMap((e) => p.onEnvelope(e))
  assert.deepEqual(out.slice(1), [
    '      step "a deployment "hello"": undefined',
    "      a step definition for it (cucumber's snippet):\n        Given('a deployment {string}', function (s) {\n          return 'pending'\n        })",
  ])
})
