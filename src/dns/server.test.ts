// The server against the lab's in-memory API server on 127.0.0.1: informers, UDP/TCP, forwarding, readiness, outages.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createSocket, type Socket } from 'node:dgram'
import dnsPacket from 'dns-packet'
import { MemoryStore } from '../cluster/lab/control-plane/apiserver/memory-store.ts'
import type { KubeObject, ResourceName } from '../cluster/lab/control-plane/apiserver/store.ts'
import { startApiServer, type ApiServer } from '../cluster/lab/control-plane/apiserver/server.ts'
import { waitFor } from '../wait/wait-for.ts'
import { DEFAULT_ANSWER_CONFIG } from './config.ts'
import { startDns, type RunningDns, type ServeConfig } from './serve-command.ts'
import { ns, slice, svc } from './test-objects.ts'
import { ask } from './test-client.ts'

let store: MemoryStore
let api: ApiServer
let upstream: Socket
let upstreamQueries = 0
let dns: RunningDns

// Creates an object in the API server's store.
const put = (resource: ResourceName, obj: object) => store.create(resource, obj as KubeObject)

// A fake upstream resolver on 127.0.0.1: every A question gets 192.0.2.1 (TTL 60).
async function startUpstream(): Promise<Socket> {
  const s = createSocket('udp4')
  s.on('message', (msg, rinfo) => {
    upstreamQueries++
    const q = dnsPacket.decode(msg)
    const question = q.questions![0]!
    const answers =
      question.type === 'A' ? [{ name: question.name, type: 'A' as const, ttl: 60, data: '192.0.2.1' }] : []
    s.send(
      dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_AVAILABLE,
        questions: [question],
        answers,
      }),
      rinfo.port,
      rinfo.address,
    )
  })
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve))
  return s
}

// A serve config on loopback, with free ports everywhere.
function config(master: string, upstreamPort?: number): ServeConfig {
  return {
    answer: { ...DEFAULT_ANSWER_CONFIG, selfIPs: ['127.0.0.1'] },
    listen: '127.0.0.1',
    port: 0,
    health: '127.0.0.1:0',
    ready: '127.0.0.1:0',
    metrics: '127.0.0.1:0',
    master,
    upstreams: upstreamPort ? [{ host: '127.0.0.1', port: upstreamPort }] : [],
    forwardTimeoutMs: 500,
    cacheTtl: 30,
  }
}

// The port of one of the daemon's HTTP servers.
const httpPort = (d: RunningDns, i: number) => (d.http[i]!.address() as { port: number }).port

before(async () => {
  store = new MemoryStore()
  put('namespaces', ns('testns'))
  put('services', svc('testns', 'svc1', { clusterIPs: ['10.96.0.11'], ports: ['http:80'] }))
  put('services', svc('testns', 'web', { clusterIPs: ['None'], ports: ['http:80'] }))
  put(
    'endpointslices',
    slice('testns', 'web-a', 'web', [{ ip: '10.244.1.5', hostname: 'web-0' }], ['http:8080']),
  )
  api = await startApiServer({ store, port: 0, bookmarkIntervalMs: 50 })
  upstream = await startUpstream()
  dns = await startDns(config(api.url, (upstream.address() as { port: number }).port), () => {})
  await waitFor({
    what: 'svcnet dns /ready to answer 200',
    timeoutMs: 10_000,
    check: async () => {
      const r = await fetch(`http://127.0.0.1:${httpPort(dns, 1)}/ready`)
      return r.status === 200 ? { done: true, value: undefined } : { done: false, seen: `HTTP ${r.status}` }
    },
  })
})

after(async () => {
  await dns?.close()
  upstream?.close()
  await api?.close()
})

test('answers Services over UDP and TCP once synced', { timeout: 30_000 }, async () => {
  const port = dns.server.port
  const a = await ask(port, 'svc1.testns.svc.cluster.local', 'A')
  assert.deepEqual(a.answer, ['svc1.testns.svc.cluster.local. 30 IN A 10.96.0.11'])
  const t = await ask(port, '_http._tcp.web.testns.svc.cluster.local', 'SRV', { tcp: true })
  assert.deepEqual(t.answer, [
    '_http._tcp.web.testns.svc.cluster.local. 30 IN SRV 0 100 8080 web-0.web.testns.svc.cluster.local.',
  ])
  assert.deepEqual(t.additional, ['web-0.web.testns.svc.cluster.local. 30 IN A 10.244.1.5'])
  const nx = await ask(port, 'nope.testns.svc.cluster.local', 'A', { edns: 1232 })
  assert.equal(nx.rcode, 'NXDOMAIN')
  assert.equal(nx.edns?.udpSize, 1232)
})

test(
  'follows the watch: a new Service resolves, a deleted one stops resolving',
  { timeout: 30_000 },
  async () => {
    put('services', svc('testns', 'late', { clusterIPs: ['10.96.0.19'], ports: ['http:80'] }))
    await waitFor({
      what: 'late.testns to resolve',
      timeoutMs: 5000,
      check: async () => {
        const r = await ask(dns.server.port, 'late.testns.svc.cluster.local')
        return r.answer.length ? { done: true, value: undefined } : { done: false, seen: r.rcode }
      },
    })
    store.delete('services', 'testns', 'late')
    await waitFor({
      what: 'late.testns to be NXDOMAIN',
      timeoutMs: 5000,
      check: async () => {
        const r = await ask(dns.server.port, 'late.testns.svc.cluster.local')
        return r.rcode === 'NXDOMAIN' ? { done: true, value: undefined } : { done: false, seen: r.rcode }
      },
    })
  },
)

test('forwards names outside the zone and caches the answer', { timeout: 30_000 }, async () => {
  const before = upstreamQueries
  const a = await ask(dns.server.port, 'example.com', 'A')
  assert.deepEqual(a.answer, ['example.com. 60 IN A 192.0.2.1'])
  const b = await ask(dns.server.port, 'EXAMPLE.com', 'A')
  assert.deepEqual(b.question, ['EXAMPLE.com. IN A'])
  assert.match(b.answer[0]!, /^example\.com\. (60|59) IN A 192\.0\.2\.1$/)
  assert.equal(upstreamQueries - before, 1, 'the second answer came from the cache')
  const c = await ask(dns.server.port, 'external.testns.svc.cluster.local', 'A')
  assert.equal(c.rcode, 'NXDOMAIN')
})

test('ExternalName outside the zone: the CNAME, then the upstream answer', { timeout: 30_000 }, async () => {
  put('services', svc('testns', 'ext', { externalName: 'www.example.org' }))
  await waitFor({
    what: 'ext.testns to resolve',
    timeoutMs: 5000,
    check: async () => {
      const r = await ask(dns.server.port, 'ext.testns.svc.cluster.local')
      return r.answer.length === 2
        ? { done: true, value: r }
        : { done: false, seen: JSON.stringify(r.answer) }
    },
  }).then((r) =>
    assert.deepEqual(r.answer, [
      'ext.testns.svc.cluster.local. 30 IN CNAME www.example.org.',
      'www.example.org. 60 IN A 192.0.2.1',
    ]),
  )
})

test('health, readiness and metrics endpoints', { timeout: 30_000 }, async () => {
  const health = await fetch(`http://127.0.0.1:${httpPort(dns, 0)}/health`)
  assert.equal(health.status, 200)
  assert.equal(await health.text(), 'OK')
  const metrics = await (await fetch(`http://127.0.0.1:${httpPort(dns, 2)}/metrics`)).text()
  assert.match(
    metrics,
    /coredns_dns_requests_total\{server="dns:\/\/:53",zone="cluster\.local\.",proto="udp",family="1",type="A"\} \d+/,
  )
  assert.match(metrics, /coredns_dns_responses_total\{[^}]*rcode="NXDOMAIN"[^}]*\} \d+/)
  assert.match(metrics, /coredns_cache_hits_total\{server="dns:\/\/:53"\} [1-9]/)
  assert.match(metrics, /svcnet_dns_index_objects\{resource="services"\} [1-9]/)
})

test(
  'before the first sync: SERVFAIL for unknown names, /ready 503; no upstream fails fast',
  { timeout: 30_000 },
  async () => {
    const cold = await startDns(config('http://127.0.0.1:1'), () => {})
    try {
      const r = await ask(cold.server.port, 'nope.testns.svc.cluster.local')
      assert.equal(r.rcode, 'SERVFAIL')
      assert.equal((await fetch(`http://127.0.0.1:${httpPort(cold, 1)}/ready`)).status, 503)
      const started = Date.now()
      const f = await ask(cold.server.port, 'example.com')
      assert.equal(f.rcode, 'SERVFAIL')
      assert.ok(Date.now() - started < 400, `took ${Date.now() - started}ms`)
    } finally {
      await cold.close()
    }
  },
)

test(
  'API server gone: keeps answering from what it knew, then catches up when it returns',
  { timeout: 30_000 },
  async () => {
    const port = api.port
    await api.close()
    const r = await ask(dns.server.port, 'svc1.testns.svc.cluster.local')
    assert.deepEqual(r.answer, ['svc1.testns.svc.cluster.local. 30 IN A 10.96.0.11'])
    put('services', svc('testns', 'after-outage', { clusterIPs: ['10.96.0.20'], ports: ['http:80'] }))
    api = await startApiServer({ store, port, bookmarkIntervalMs: 50 })
    await waitFor({
      what: 'after-outage.testns to resolve',
      timeoutMs: 15_000,
      check: async () => {
        const a = await ask(dns.server.port, 'after-outage.testns.svc.cluster.local')
        return a.answer.length ? { done: true, value: undefined } : { done: false, seen: a.rcode }
      },
    })
    assert.deepEqual((await ask(dns.server.port, 'svc1.testns.svc.cluster.local')).answer.length, 1)
  },
)
