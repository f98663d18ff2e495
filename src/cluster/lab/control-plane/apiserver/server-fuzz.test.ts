import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Agent, request, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { fuzzRequest, type FuzzRequest } from './fuzz-requests.ts'
import { seededRandom } from '../../../../random/seeded-random.ts'
import { MemoryStore } from './memory-store.ts'
import { RESOURCES } from './resources.ts'
import { startApiServer } from './server.ts'
import type { ResourceName } from './store.ts'

const REQUESTS = 20_000
const DEADLINE_MS = 150_000
const CONCURRENCY = 16
/** RSS of this process (server and fuzzer together) must stay under this. */
const RSS_LIMIT_BYTES = 1024 * 1024 * 1024

// Every object outside the fuzzer's namespace, by resource/namespace/name, as JSON.
function snapshotOutside(store: MemoryStore, namespace: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const resource of Object.keys(RESOURCES) as ResourceName[]) {
    for (const o of store.list(resource).items) {
      if (o.metadata.namespace === namespace) continue
      if (resource === 'namespaces' && o.metadata.name === namespace) continue
      out.set(`${resource}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, JSON.stringify(o))
    }
  }
  return out
}

interface Outcome {
  status: number
  body: string
  error?: string
}

function send(port: number, agent: Agent, r: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: r.method,
        path: r.path,
        // Node sends a GET/DELETE body without framing unless told its length.
        headers: {
          ...(r.contentType ? { 'Content-Type': r.contentType } : {}),
          ...(r.body ? { 'Content-Length': r.body.length } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          // Only the start of a body matters (a Status, or the first watch events).
          if (size < 64 * 1024) chunks.push(c)
          size += c.length
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
        res.on('error', (err) => resolve({ status: res.statusCode ?? 0, body: '', error: err.message }))
        // A connection cut mid-answer: what arrived counts, so no request waits forever.
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            error: 'closed early',
          }),
        )
      },
    )
    // A CONNECT's answer comes as a 'connect' event, not a response.
    req.on('connect', (res: IncomingMessage, socket: Socket) => {
      socket.destroy()
      resolve({ status: res.statusCode ?? 0, body: '' })
    })
    req.on('timeout', () => req.destroy(new Error('timed out after 10s')))
    req.on('error', (err) => resolve({ status: 0, body: '', error: err.message }))
    req.on('close', () => resolve({ status: 0, body: '', error: 'closed without an answer' }))
    req.end(r.body)
  })
}

test(`${REQUESTS} random and mutated requests: no 5xx but 504/507/413, no stack trace, nothing outside the fuzzer's namespace changes, RSS bounded`, async () => {
  const logged: string[] = []
  const store = new MemoryStore()
  const namespace = 'svcnet-fuzz'
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } })
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'guarded' } })
  for (const ns of ['default', 'guarded']) {
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'f1', namespace: ns },
      data: { a: 'b' },
    })
    store.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'f2', namespace: ns },
      spec: { ports: [{ port: 80 }] },
    })
  }
  store.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })
  const before = snapshotOutside(store, namespace)
  const server = await startApiServer({ store, log: (l) => logged.push(l) })
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const seed = Number(process.env.SVCNET_FUZZ_SEED ?? Date.now() % 1_000_000)
  const rand = seededRandom(seed)
  const failures: string[] = []
  const counts = new Map<number, number>()
  let sent = 0
  let maxRss = process.memoryUsage().rss
  const startRss = maxRss
  const started = Date.now()
  try {
    const worker = async () => {
      while (sent < REQUESTS && Date.now() - started < DEADLINE_MS && failures.length < 20) {
        const r = fuzzRequest(rand, namespace, sent++)
        const o = await send(server.port, agent, r)
        counts.set(o.status, (counts.get(o.status) ?? 0) + 1)
        const what = `${r.label}: ${r.method} ${r.path.slice(0, 120)} -> ${o.status} ${o.error ?? o.body.slice(0, 300)}`
        // A body still being sent when the server refuses the request (a huge body, or a path Node's HTTP
        // parser rejects, such as raw non-ASCII) may reset the connection before the answer is read.
        const unread = (r.body?.length ?? 0) > 64 * 1024 || /[^\x21-\x7e]/.test(r.path)
        if (o.status === 0 && !unread) failures.push(`no answer: ${what}`)
        if (o.status >= 500 && ![504, 507].includes(o.status)) failures.push(`server error: ${what}`)
        if (/\.ts:\d+|node:internal|\n\s+at /.test(o.body)) failures.push(`stack trace: ${what}`)
        if (sent % 500 === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const elapsed = Date.now() - started
    const health = await send(server.port, agent, { method: 'GET', path: '/healthz', label: 'health' })
    const after = snapshotOutside(store, namespace)
    const changed = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k)
    const summary = `seed ${seed}: ${sent} requests in ${elapsed}ms, statuses ${JSON.stringify(Object.fromEntries([...counts].sort()))}, RSS ${Math.round(startRss / 2 ** 20)} -> max ${Math.round(maxRss / 2 ** 20)} MiB`
    process.stderr.write(`fuzz: ${summary}\n`)
    assert.deepEqual(failures, [], summary)
    assert.deepEqual(logged, [], `internal errors logged (${summary})`)
    assert.ok(sent >= REQUESTS, `only ${sent} requests within ${DEADLINE_MS}ms (${summary})`)
    assert.equal(health.body, 'ok')
    assert.deepEqual(changed, [], `objects outside ${namespace} changed (${summary})`)
    assert.ok(maxRss < RSS_LIMIT_BYTES, `RSS reached ${maxRss} bytes (${summary})`)
  } finally {
    agent.destroy()
    await server.close()
  }
})
