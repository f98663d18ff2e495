import { test } from 'node:test'
import assert from 'node:assert/strict'
import { boundedArgv, curlHealthz, execInContainer } from './outside-client.ts'

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

test('a container command comes back as a RunResult, bounded only when a timeout is given', async () => {
  const seen: string[][] = []
  // A container whose exec answers as testcontainers' does (the thing under test is the wrapping).
  const container = {
    exec: async (argv: string[]) => {
      seen.push(argv)
      return { stdout: 'out', stderr: 'err', exitCode: 3 }
    },
  }
  const r = await execInContainer(container, ['dig', 'x'], 2_000)
  assert.deepEqual(
    { argv: r.argv, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode },
    { argv: ['timeout', '2', 'dig', 'x'], stdout: 'out', stderr: 'err', exitCode: 3 },
  )
  assert.ok(r.durationMs >= 0)
  await execInContainer(container, ['iptables-save'], undefined)
  assert.deepEqual(seen.at(-1), ['iptables-save'])
  assert.deepEqual(curlHealthz('172.18.0.3').at(-1), 'http://172.18.0.3:10256/healthz')
})
