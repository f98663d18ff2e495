import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderKubeconfig } from '../../../../kube/kubeconfig.ts'
import { run, start, startPiped, type StartedProcess } from '../../../../exec/run.ts'
import { waitFor } from '../../../../wait/wait-for.ts'
import { MemoryStore } from './memory-store.ts'
import { startApiServer, type ApiServer } from './server.ts'

// The real kubectl's exec (v5.channel.k8s.io) and port-forward (SPDY/3.1 tunnelled in a WebSocket) against the API
// server; the "pod" runs local commands and is a loopback HTTP server reached through the kubelet's relay script,
// so no root is needed (kubectl.root.test.ts does the same in a lab).
const RELAY = fileURLToPath(new URL('../../kubelet/port-forward-relay.ts', import.meta.url))
let server: ApiServer
let web: Server
let dir: string
const kubectlMissing = await run('kubectl', ['version', '--client']).then(
  () => false,
  () => 'kubectl is not installed',
)

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcnet-pf-'))
  const store = new MemoryStore()
  const pod = store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'nginx' }] },
  })
  store.update('pods', { ...pod, status: { phase: 'Running' } }, { subresource: 'status' })
  web = createServer((req, res) => {
    if (req.url === '/big') return res.end(Buffer.alloc(5_000_000, 'a'))
    if (req.url === '/endless') {
      const timer = setInterval(() => res.write('x'.repeat(1000)), 10)
      return res.on('close', () => clearInterval(timer))
    }
    res.end(`hello from ${req.url}`)
  })
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve))
  server = await startApiServer({
    store,
    port: 0,
    podStreams: {
      exec: async ({ command }) => startPiped(command[0]!, command.slice(1)),
      portForward: async ({ port }) => startPiped(process.execPath, [RELAY, '127.0.0.1', String(port)]),
      followLog: () => {
        throw new Error('not used here')
      },
    },
  })
  await writeFile(join(dir, 'kubeconfig'), renderKubeconfig('pf', server.url))
})
after(async () => {
  await server?.close()
  web?.close()
  await rm(dir, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  const srv = createTcpServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  await new Promise<void>((resolve) => srv.close(() => resolve()))
  return port
}

// kubectl speaks WebSocket (SPDY tunnelled for port-forward) by default; these variables make it fall back to SPDY.
const TRANSPORTS = [
  ['WebSocket', {}],
  ['plain SPDY', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false', KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' }],
] as const

for (const [transport, env] of TRANSPORTS) {
  test(
    `kubectl port-forward over ${transport} relays requests, a 5 MB answer, and survives a dropped connection`,
    { skip: kubectlMissing },
    async () => {
      const local = await freePort()
      const remote = (web.address() as AddressInfo).port
      const log = join(dir, `port-forward-${local}.log`)
      const pf: StartedProcess = start(
        'kubectl',
        [
          '--kubeconfig',
          join(dir, 'kubeconfig'),
          'port-forward',
          '--address',
          '127.0.0.1',
          'pod/web',
          `${local}:${remote}`,
        ],
        { logFile: log, env },
      )
      try {
        const url = (path: string) => `http://127.0.0.1:${local}${path}`
        const first = await waitFor({
          what: `kubectl port-forward to answer on 127.0.0.1:${local}`,
          check: async () => {
            const r = await fetch(url('/a')).then(
              (res) => res.text(),
              (err: Error) => err.message,
            )
            return r.startsWith('hello')
              ? { done: true, value: r }
              : { done: false, seen: `${r}; ${await readFile(log, 'utf8')}` }
          },
          timeoutMs: 15_000,
        })
        assert.equal(first, 'hello from /a')
        assert.equal((await (await fetch(url('/big'))).arrayBuffer()).byteLength, 5_000_000)
        const dropped = new AbortController()
        const endless = await fetch(url('/endless'), { signal: dropped.signal })
        await endless.body!.getReader().read()
        dropped.abort()
        assert.equal(await (await fetch(url('/after'))).text(), 'hello from /after')
        // kubectl itself may log the dropped local connection (a broken pipe), as it does with any cluster; the
        // server side reported nothing.
        assert.doesNotMatch(await readFile(log, 'utf8'), /an error occurred forwarding/)
      } finally {
        pf.kill()
        await pf.exited
      }
    },
  )

  test(
    `kubectl exec over ${transport}: stdout and stderr apart, stdin, the exit code`,
    { skip: kubectlMissing },
    async () => {
      const kubectl = (args: string[], stdin?: string) =>
        run('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), 'exec', ...args], {
          allowFailure: true,
          env,
          ...(stdin === undefined ? {} : { stdin }),
        })
      const failed = await kubectl(['web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
      assert.deepEqual(
        [failed.exitCode, failed.stdout, failed.stderr],
        [3, 'out\n', 'err\ncommand terminated with exit code 3\n'],
      )
      const cat = await kubectl(['-i', 'web', '--', 'cat'], 'typed in\n')
      assert.deepEqual([cat.exitCode, cat.stdout], [0, 'typed in\n'])
    },
  )
}
