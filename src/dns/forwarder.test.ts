// The forwarder against fake upstreams on 127.0.0.1: order and failover, the TTL cache (with an injected clock), ids.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSocket, type Socket } from 'node:dgram'
import dnsPacket from 'dns-packet'
import { describeResponse } from './describe.ts'
import { ForwardError, Forwarder, parseUpstream, upstreamsFromResolvConf } from './forwarder.ts'
import { encodeQuery } from './test-client.ts'
import { readQuery, type Query } from './wire-query.ts'

/** A fake resolver: answers A with `ip` (TTL `ttl`), or stays silent when `silent`. */
async function fakeUpstream(opts: { ip?: string; ttl?: number; silent?: boolean; rcode?: number }) {
  let queries = 0
  const s: Socket = createSocket('udp4')
  s.on('message', (msg, rinfo) => {
    queries++
    if (opts.silent) return
    const q = dnsPacket.decode(msg)
    const out = dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_AVAILABLE | (opts.rcode ?? 0),
      questions: q.questions,
      answers: opts.rcode
        ? []
        : [{ name: q.questions![0]!.name, type: 'A', ttl: opts.ttl ?? 60, data: opts.ip ?? '192.0.2.7' }],
    })
    s.send(out, rinfo.port, rinfo.address)
  })
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve))
  return {
    port: (s.address() as { port: number }).port,
    queries: () => queries,
    close: () => s.close(),
  }
}

// A query as the server would have read it.
function q(name: string, id = 1): { query: Query; packet: Buffer } {
  const packet = encodeQuery(name, 'A', { id })
  return { query: readQuery(packet) as Query, packet }
}

test('forwards in order, fails over past a silent upstream, and caches with decreasing TTLs', async () => {
  const silent = await fakeUpstream({ silent: true })
  const good = await fakeUpstream({ ttl: 60 })
  let now = 1_000_000
  const f = new Forwarder({
    upstreams: [
      { host: '127.0.0.1', port: silent.port },
      { host: '127.0.0.1', port: good.port },
    ],
    timeoutMs: 200,
    maxCacheTtl: 30,
    now: () => now,
  })
  try {
    const a = q('example.com', 11)
    const r1 = describeResponse(await f.forward(a.query, a.packet, 'udp'))
    assert.equal(r1.id, 11)
    assert.deepEqual(r1.answer, ['example.com. 60 IN A 192.0.2.7'])
    assert.equal(silent.queries(), 1)
    now += 10_000
    const b = q('Example.COM', 12)
    const r2 = describeResponse(await f.forward(b.query, b.packet, 'udp'))
    assert.equal(r2.id, 12)
    assert.deepEqual(r2.question, ['Example.COM. IN A'])
    assert.deepEqual(
      r2.answer,
      ['example.com. 50 IN A 192.0.2.7'],
      'TTL minus the 10 s the answer was cached',
    )
    assert.equal(good.queries(), 1, 'served from the cache')
    now += 21_000
    await f.forward(b.query, b.packet, 'udp')
    assert.equal(good.queries(), 2, 'expired after min(TTL, 30 s)')
    assert.equal(f.stats.cacheHits, 1)
  } finally {
    f.close()
    silent.close()
    good.close()
  }
})

test('SERVFAIL answers are passed on but not cached; no upstream fails at once', async () => {
  const bad = await fakeUpstream({ rcode: 2 })
  const f = new Forwarder({ upstreams: [{ host: '127.0.0.1', port: bad.port }] })
  try {
    const a = q('broken.example')
    assert.equal(describeResponse(await f.forward(a.query, a.packet, 'udp')).rcode, 'SERVFAIL')
    await f.forward(a.query, a.packet, 'udp')
    assert.equal(bad.queries(), 2)
  } finally {
    f.close()
    bad.close()
  }
  const none = new Forwarder({ upstreams: [] })
  const a = q('example.com')
  const started = Date.now()
  await assert.rejects(none.forward(a.query, a.packet, 'udp'), ForwardError)
  assert.ok(Date.now() - started < 50)
})

test('upstreams come from resolv.conf or host[:port]', () => {
  assert.deepEqual(
    upstreamsFromResolvConf('# x\nnameserver 10.0.0.2\nsearch a.b\nnameserver fe80::1%eth0\n'),
    [
      { host: '10.0.0.2', port: 53 },
      { host: 'fe80::1', port: 53 },
    ],
  )
  assert.deepEqual(parseUpstream('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 })
  assert.deepEqual(parseUpstream('[::1]:5353'), { host: '::1', port: 5353 })
  assert.deepEqual(parseUpstream('2001:db8::1'), { host: '2001:db8::1', port: 53 })
})
