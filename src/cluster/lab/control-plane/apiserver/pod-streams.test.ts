import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { Exec, KubeConfig, PortForward, type V1Status } from '@kubernetes/client-node'
import WebSocket from 'ws'
import { startPiped } from '../../../../exec/run.ts'
import { apiResourceList } from './discovery.ts'
import { exitStatus } from './exec-websocket.ts'
import { MemoryStore } from './memory-store.ts'
import { startApiServer, type ApiServer } from './server.ts'
import { pickProtocol } from './upgrade.ts'

// The API server's side of exec and port-forward, driven by client-node; commands and relays are real local
// processes (the lab kubelet runs the same ones inside pod namespaces, see kubectl.root.test.ts).
const RELAY = fileURLToPath(new URL('../../kubelet/port-forward-relay.ts', import.meta.url))
let server: ApiServer
let web: Server
let kc: KubeConfig

before(async () => {
  const store = new MemoryStore()
  store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'tools', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
  })
  web = createServer((req, res) => res.end(`hello from ${req.url}`))
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
  kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'lab', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'lab', cluster: 'lab', user: 'u' }],
    currentContext: 'lab',
  })
})
after(async () => {
  await server.close()
  web.close()
})

class Collect extends Writable {
  text = ''
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

// Runs a command through client-node's Exec and resolves with its output and the final Status.
function execute(command: string[], stdin?: string) {
  const stdout = new Collect()
  const stderr = new Collect()
  const input = stdin === undefined ? null : new PassThrough()
  return new Promise<{ stdout: string; stderr: string; status: V1Status }>((resolve, reject) => {
    new Exec(kc)
      .exec('default', 'tools', 'main', command, stdout, stderr, input, false, (status) =>
        setImmediate(() => resolve({ stdout: stdout.text, stderr: stderr.text, status })),
      )
      .then(() => input?.end(stdin), reject)
  })
}

test("client-node's Exec gets stdout and stderr apart, stdin, and the exit code in the Status", async () => {
  const ok = await execute(['sh', '-c', 'echo out; echo err >&2'])
  assert.deepEqual(ok, { stdout: 'out\n', stderr: 'err\n', status: { metadata: {}, status: 'Success' } })
  const failed = await execute(['sh', '-c', 'exit 3'])
  assert.equal(failed.status.reason, 'NonZeroExitCode')
  assert.deepEqual(failed.status.details?.causes, [{ reason: 'ExitCode', message: '3' }])
  const echoed = await execute(['cat'], 'typed in\n')
  assert.equal(echoed.stdout, 'typed in\n')
})

test('exec into an unknown pod or container is refused before the upgrade, with a Status', async () => {
  const status = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, ['v5.channel.k8s.io'])
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => reject(new Error(`${path} was upgraded`)))
      ws.on('error', () => {})
    })
  assert.equal(await status('/api/v1/namespaces/default/pods/nope/exec?command=true'), 404)
  assert.equal(await status('/api/v1/namespaces/default/pods/tools/exec?command=true&container=x'), 400)
  assert.equal(await status('/api/v1/namespaces/default/pods/tools/exec'), 400)
})

test("client-node's PortForward reaches the pod port (channel protocol)", async () => {
  const port = (web.address() as AddressInfo).port
  const out = new Collect()
  const input = new PassThrough()
  const ws = (await new PortForward(kc).portForward(
    'default',
    'tools',
    [port],
    out,
    null,
    input,
  )) as WebSocket
  input.write(`GET /pf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
  await new Promise<void>((resolve) => ws.on('close', () => resolve()))
  assert.match(out.text, /^HTTP\/1\.1 200 OK/)
  assert.match(out.text, /hello from \/pf$/)
})

test('the exit Status and the chosen subprotocol', () => {
  assert.deepEqual(exitStatus(['true'], { exitCode: 0, signal: undefined }), {
    metadata: {},
    status: 'Success',
  })
  const killed = exitStatus(['sleep', '9'], { exitCode: undefined, signal: 'SIGKILL' })
  assert.deepEqual((killed.details as { causes: unknown[] }).causes, [{ reason: 'ExitCode', message: '137' }])
  assert.equal(
    pickProtocol('v4.channel.k8s.io, v5.channel.k8s.io', ['v5.channel.k8s.io', 'v4.channel.k8s.io']),
    'v5.channel.k8s.io',
  )
  assert.equal(pickProtocol('SPDY/3.1+portforward.k8s.io', ['v5.channel.k8s.io']), undefined)
})

test('an upgrade with a dot segment is refused like any request (400), not normalised to another pod', async () => {
  // Sent raw: a WebSocket client would normalise the path itself.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: '/api/v1/namespaces/default/pods/x/%2E%2E/tools/exec?command=true',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
      },
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('upgrade', (_res, socket) => {
      socket.destroy()
      reject(new Error('upgraded'))
    })
    req.on('error', reject)
    req.end()
  })
  assert.equal(status, 400)
})

test('closing the server ends open exec sessions and kills their commands', async () => {
  const store = new MemoryStore()
  store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  })
  let started: ReturnType<typeof startPiped> | undefined
  const own = await startApiServer({
    store,
    port: 0,
    podStreams: {
      exec: async ({ command }) => (started = startPiped(command[0]!, command.slice(1))),
      portForward: () => Promise.reject(new Error('not used here')),
      followLog: () => {
        throw new Error('not used here')
      },
    },
  })
  const ws = new WebSocket(
    `${own.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/p/exec?command=sleep&command=30`,
    ['v5.channel.k8s.io'],
  )
  await new Promise((resolve) => ws.on('open', resolve))
  const closed = new Promise((resolve) => ws.on('close', resolve))
  await own.close()
  await closed
  const ended = await started!.exited
  assert.equal(ended.signal, 'SIGTERM', 'the command was killed, not left running')
})

test('discovery lists pods/exec, pods/attach and pods/portforward as upstream does', () => {
  const { resources } = apiResourceList('v1') as {
    resources: { name: string; kind: string; verbs: string[] }[]
  }
  const streams = resources.filter((r) => ['pods/exec', 'pods/attach', 'pods/portforward'].includes(r.name))
  assert.deepEqual(
    streams.map((r) => [r.name, r.kind, r.verbs.join(',')]),
    [
      ['pods/attach', 'PodAttachOptions', 'create,get'],
      ['pods/exec', 'PodExecOptions', 'create,get'],
      ['pods/portforward', 'PodPortForwardOptions', 'create,get'],
    ],
  )
})
