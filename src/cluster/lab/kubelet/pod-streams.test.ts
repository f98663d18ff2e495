import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { MemoryStore } from '../control-plane/apiserver/memory-store.ts'
import type { KubeObject } from '../control-plane/apiserver/store.ts'
import { waitFor } from '../../../wait/wait-for.ts'
import { containerLogPath } from './pod-logs.ts'
import { labPodStreams, onTerminal } from './pod-streams.ts'

// followLog against a real log file and a real store; the kubelet part it needs (validation) is the pod's existence.
let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcnet-pod-streams-'))
})
after(() => rm(dir, { recursive: true, force: true }))

function setUp() {
  const store = new MemoryStore()
  const pod = store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  })
  const path = containerLogPath(dir, 'default', 'p', pod.metadata.uid ?? '', 'c')
  const streams = labPodStreams({
    store,
    logDir: dir,
    nodeBinary: process.execPath,
    kubelet: {
      execArgv: () => [],
      podNetns: () => undefined,
      read: async (ns, name) => {
        if (!store.get('pods', ns, name)) throw new Error(`pod ${name} not found`)
        return ''
      },
    },
  })
  const terminate = () =>
    store.update(
      'pods',
      {
        ...store.get('pods', 'default', 'p')!,
        status: { containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0 } } }] },
      } as KubeObject,
      { subresource: 'status' },
    )
  return { store, streams, path, terminate }
}

async function collect(it: AsyncIterable<Buffer>, into: string[]): Promise<void> {
  for await (const chunk of it) into.push(chunk.toString())
}

test('followLog gives the tail, then what is appended, and ends when the container terminates', async () => {
  const { streams, path, terminate } = setUp()
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, 'one\ntwo\nthree\n')
  const seen: string[] = []
  const done = collect(
    streams.followLog(
      { namespace: 'default', pod: 'p', container: undefined, tailLines: 1 },
      new AbortController().signal,
    ),
    seen,
  )
  await waitFor({
    what: 'the tail',
    check: async () => (seen.length > 0 ? { done: true, value: 0 } : { done: false, seen: '' }),
  })
  await appendFile(path, 'four\n')
  await waitFor({
    what: 'the appended line',
    check: async () =>
      seen.join('').includes('four') ? { done: true, value: 0 } : { done: false, seen: seen.join('') },
  })
  await appendFile(path, 'last\n')
  terminate()
  await done
  assert.equal(seen.join(''), 'three\nfour\nlast\n')
})

test('followLog of a terminated container returns its whole log at once; abort ends a live one', async () => {
  const { streams, path, terminate } = setUp()
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, 'all of it\n')
  const stop = new AbortController()
  const live: string[] = []
  const following = collect(
    streams.followLog({ namespace: 'default', pod: 'p', container: 'c' }, stop.signal),
    live,
  )
  await waitFor({
    what: 'the log',
    check: async () => (live.length > 0 ? { done: true, value: 0 } : { done: false, seen: '' }),
  })
  stop.abort()
  await following
  terminate()
  const seen: string[] = []
  await collect(
    streams.followLog({ namespace: 'default', pod: 'p', container: 'c' }, new AbortController().signal),
    seen,
  )
  assert.deepEqual(seen, ['all of it\n'])
})

test('exec -t wraps the command in a pseudo-terminal, quoted for the shell', () => {
  assert.deepEqual(onTerminal(['sh', '-c', "echo 'hi'"]), [
    'script',
    '--quiet',
    '--flush',
    '--return',
    '--command',
    `sh -c 'echo '\\''hi'\\'''`,
    '/dev/null',
  ])
})
