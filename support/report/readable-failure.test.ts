// Failure messages in the report are the check's sentence, not a class name and a stack; repeated attachments fold.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  readableMessage,
  withFailedHooks,
  withReadableFailures,
  withRepeatsFolded,
  type FailureLike,
} from './readable-failure.ts'

const CUCUMBER_MESSAGE = `CheckAssertionError: timed out after 30000ms waiting for http://172.18.0.3:31246/ to answer HTTP 200 from outside the cluster; last seen: http://172.18.0.3:31246/: curl exit 7 (curl: (7) Failed to connect)
    at eventually (file:///work/main/support/checks/check-failed.ts:25:48)
    at async SvcWorld.<anonymous> (file:///work/main/steps/traffic-steps.ts:12:5)`

test('a check failure keeps its sentence alone; another error keeps its name, with its stack as the trace', () => {
  const r = readableMessage({ message: CUCUMBER_MESSAGE })
  assert.equal(
    r.message,
    'timed out after 30000ms waiting for http://172.18.0.3:31246/ to answer HTTP 200 from outside the cluster; last seen: http://172.18.0.3:31246/: curl exit 7 (curl: (7) Failed to connect)',
  )
  assert.equal(r.trace, undefined, "a failed check's stack is the harness's: not shown")
  // A message that spans lines keeps them; only the stack goes.
  assert.equal(
    readableMessage({
      message: 'AssertionError [ERR_ASSERTION]: 2 of 30 requests failed:\nx\ny\n    at f (a.ts:1:1)',
    }).message,
    '2 of 30 requests failed:\nx\ny',
  )
  // Other errors keep their name (a harness error should say what kind it is), and a clean message is left alone.
  assert.deepEqual(readableMessage({ message: 'Error: cleanup failed\n    at x (y:1:1)' }), {
    message: 'Error: cleanup failed',
    trace: 'Error: cleanup failed\n    at x (y:1:1)',
  })
  const clean = { message: 'skipped: the kind provider lacks outside-client' }
  assert.equal(readableMessage(clean), clean)
})

test('the result and its nested steps all get readable messages', () => {
  const out = withReadableFailures({
    status: 'failed',
    statusDetails: { message: CUCUMBER_MESSAGE },
    steps: [
      { status: 'passed' },
      { status: 'failed', statusDetails: { message: CUCUMBER_MESSAGE }, steps: [] },
    ],
  })
  assert.match(out.statusDetails!.message!, /^timed out after 30000ms/)
  assert.match(out.steps![1]!.statusDetails!.message!, /^timed out after 30000ms/)
  assert.deepEqual(out.steps![0], { status: 'passed' })
})

test('a scenario skipped because a hook failed (the cluster never started) is reported with that hook', () => {
  const result: FailureLike & { uuid: string } = {
    uuid: 'r1',
    status: 'skipped',
    steps: [{ status: 'skipped' }],
  }
  const containers = [
    { children: ['other'], befores: [{ status: 'passed' }] },
    {
      children: ['r1'],
      befores: [
        { status: 'passed' },
        {
          status: 'broken',
          statusDetails: { message: 'Error: the cluster never started: lab up failed\n    at x (y:1:1)' },
        },
      ],
    },
  ]
  const out = withFailedHooks(result, containers)
  assert.equal(out.status, 'broken')
  assert.equal(out.statusDetails?.message, 'Error: the cluster never started: lab up failed')
  // A scenario skipped for a reason of its own (no failed hook) stays skipped.
  assert.equal(withFailedHooks({ ...result, uuid: 'other' }, containers).status, 'skipped')
})

test('an attachment repeated by a retrying check is folded into its last attempt', () => {
  const dig = (source: string) => ({ name: 'dig web A', attachments: [{ name: 'dig web A', source }] })
  const out = withRepeatsFolded({
    steps: [
      {
        name: 'Then the pod resolves web',
        status: 'failed',
        steps: [
          dig('1'),
          dig('2'),
          dig('3'),
          { name: 'requests.json', attachments: [{ name: 'requests.json' }] },
          dig('4'),
        ],
      },
    ],
  })
  assert.deepEqual(out.steps![0]!.steps, [
    {
      name: 'dig web A (the last of 3 attempts)',
      attachments: [{ name: 'dig web A (the last of 3 attempts)', source: '3' }],
    },
    { name: 'requests.json', attachments: [{ name: 'requests.json' }] },
    dig('4'),
  ])
})
