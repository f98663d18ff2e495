import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startPiped, type PipedProcess } from '../../../../exec/run.ts'
import { waitFor } from '../../../../wait/wait-for.ts'
import { attachOutput } from './attach.ts'
import type { PodStreams } from './pod-streams.ts'

// A container as a real process that echoes its stdin lines: its stdout is the "log" attach follows, which (as the
// kubelet's followLog) first gives the log's current text, empty here.
function container(once: boolean | undefined): { proc: PipedProcess; streams: PodStreams } {
  const proc = startPiped('sh', ['-c', 'while read l; do echo "line:$l"; done; echo stdin-closed'])
  proc.stderr.resume()
  async function* log(): AsyncGenerator<Buffer> {
    yield Buffer.alloc(0)
    for await (const chunk of proc.stdout) yield chunk as Buffer
  }
  const unused = () => Promise.reject(new Error('not used by attach'))
  const streams: PodStreams = {
    exec: unused,
    portForward: unused,
    followLog: () => log(),
    ...(once === undefined ? {} : { attachStdin: () => ({ stdin: proc.stdin, once }) }),
  }
  return { proc, streams }
}

// Everything a stream gives until it ends.
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const chunk of stream) text += String(chunk)
  return text
}

const target = { namespace: 'default', pod: 'p', container: undefined }

test('attach -i with stdinOnce: input reaches the container, and closing it closes the container stdin', async () => {
  const { proc, streams } = container(true)
  const attached = await attachOutput(streams, target)
  attached.stdin.write('abc\n')
  attached.stdin.end('def\n')
  assert.equal(await readAll(attached.stdout), 'line:abc\nline:def\nstdin-closed\n')
  assert.equal((await proc.exited).exitCode, 0)
})

test('without stdinOnce the container stdin stays open after the session; without stdin: true input is dropped', async () => {
  const { proc, streams } = container(false)
  const first = await attachOutput(streams, target)
  const output = readAll(first.stdout)
  first.stdin.end('abc\n')
  await waitFor({
    what: 'the attached stdin to be written and ended',
    timeoutMs: 5000,
    intervalMs: 10,
    check: async () =>
      first.stdin.writableFinished ? { done: true, value: null } : { done: false, seen: 'open' },
  })
  assert.equal(proc.stdin.writableEnded, false)
  proc.stdin.end('ghi\n')
  assert.equal(await output, 'line:abc\nline:ghi\nstdin-closed\n')
  await proc.exited
  const none = container(undefined)
  const attached = await attachOutput(none.streams, target)
  attached.stdin.end('ignored\n')
  none.proc.stdin.end()
  assert.equal(await readAll(attached.stdout), 'stdin-closed\n')
  await none.proc.exited
})
