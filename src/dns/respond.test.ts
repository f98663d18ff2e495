// Wire level: what respond() sends for good and malformed queries, compression, EDNS0 and truncation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import dnsPacket from 'dns-packet'
import { answer } from './answer.ts'
import { ClusterIndex } from './cluster-index.ts'
import { DEFAULT_ANSWER_CONFIG } from './config.ts'
import { describeResponse } from './describe.ts'
import { presentation } from './records.ts'
import { respond, type Outcome } from './respond.ts'
import { ns, slice, svc, testIndex, testObjects } from './test-objects.ts'

const cfg = { ...DEFAULT_ANSWER_CONFIG, selfIPs: ['10.244.0.5'] }
const index = testIndex()

// A query packet as a client would send it.
function query(
  name: string,
  type: string,
  opts: { id?: number; edns?: number; ednsVersion?: number } = {},
): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: type as dnsPacket.RecordType, name, class: 'IN' }],
    additionals:
      opts.edns !== undefined
        ? [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: opts.edns,
              ednsVersion: opts.ednsVersion ?? 0,
              flags: 0,
            } as dnsPacket.Answer,
          ]
        : [],
  })
}

// The bytes of a reply outcome.
function bytes(o: Outcome): Buffer {
  assert.equal(o.kind, 'reply', JSON.stringify(o))
  return (o as { bytes: Buffer }).bytes
}

test('a reply carries the answer function’s records, the id, the question as sent, AA and RD', () => {
  const name = 'SvC1.TeStNs.svc.cluster.local'
  const r = describeResponse(bytes(respond(query(name, 'A', { id: 7 }), 'udp', index, cfg)))
  assert.equal(r.id, 7)
  assert.deepEqual(r.question, [`${name}. IN A`])
  assert.equal(r.rcode, 'NOERROR')
  assert.ok(r.aa && r.rd && !r.ra && !r.tc)
  assert.deepEqual(r.answer, [`${name}. 30 IN A 10.0.0.1`])
})

test('every record of an SRV answer survives the wire, compressed', () => {
  const name = '_http._tcp.hdls1.testns.svc.cluster.local'
  const out = bytes(respond(query(name, 'SRV', { edns: 4096 }), 'udp', index, cfg))
  const r = describeResponse(out)
  const want = answer({ name, type: 'SRV' }, index, cfg)
  assert.deepEqual(r.answer, want.answer.map(presentation))
  assert.deepEqual(r.additional, want.additional.map(presentation))
  assert.deepEqual(r.edns, { udpSize: 1232, version: 0, extendedRcode: 0 })
  const uncompressed = dnsPacket.encode(dnsPacket.decode(out)).length
  assert.ok(out.length < uncompressed * 0.7, `compressed ${out.length} bytes vs ${uncompressed} uncompressed`)
})

test('negative answers carry the SOA; NXDOMAIN before sync is SERVFAIL', () => {
  const r = describeResponse(bytes(respond(query('nope.testns.svc.cluster.local', 'A'), 'udp', index, cfg)))
  assert.equal(r.rcode, 'NXDOMAIN')
  assert.match(
    r.authority[0]!,
    /^cluster\.local\. 30 IN SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30$/,
  )
  const cold = new ClusterIndex()
  const r2 = describeResponse(bytes(respond(query('nope.testns.svc.cluster.local', 'A'), 'udp', cold, cfg)))
  assert.equal(r2.rcode, 'SERVFAIL')
})

// An index with one headless Service of n ready endpoints.
function bigHeadless(n: number): ClusterIndex {
  const idx = new ClusterIndex()
  for (const { kind, obj } of testObjects()) idx.upsert(kind, obj)
  idx.upsert('namespaces', ns('big'))
  idx.upsert('services', svc('big', 'many', { clusterIPs: ['None'], ports: ['http:80'] }))
  const eps = Array.from({ length: n }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}` }))
  idx.upsert('endpointslices', slice('big', 'many-a', 'many', eps, ['http:80']))
  for (const k of ['services', 'endpointslices', 'pods', 'namespaces'] as const) idx.markSynced(k)
  return idx
}

test('UDP answers are cut to 512 bytes (or the EDNS size) with TC; TCP carries everything', () => {
  const idx = bigHeadless(100)
  const name = 'many.big.svc.cluster.local'
  const plain = bytes(respond(query(name, 'A'), 'udp', idx, cfg))
  assert.ok(plain.length <= 512, `${plain.length} bytes`)
  const r = describeResponse(plain)
  assert.equal(r.tc, true)
  assert.ok(r.answer.length > 10 && r.answer.length < 100, `${r.answer.length} records`)
  const edns = describeResponse(bytes(respond(query(name, 'A', { edns: 4096 }), 'udp', idx, cfg)))
  assert.equal(edns.tc, false)
  assert.equal(edns.answer.length, 100)
  const small = bytes(respond(query(name, 'A', { edns: 100 }), 'udp', idx, cfg))
  assert.ok(small.length <= 512 && describeResponse(small).tc)
  const tcp = describeResponse(bytes(respond(query(name, 'A'), 'tcp', idx, cfg)))
  assert.equal(tcp.tc, false)
  assert.equal(tcp.answer.length, 100)
  const huge = describeResponse(bytes(respond(query(name, 'A'), 'tcp', bigHeadless(5000), cfg)))
  assert.ok(huge.answer.length > 4000 && huge.answer.length < 5000, `${huge.answer.length} records`)
  assert.equal(huge.tc, true)
})

test('malformed and unsupported queries: FORMERR, NOTIMP, BADVERS, REFUSED, or dropped', () => {
  const good = query('svc1.testns.svc.cluster.local', 'A')
  const withFlags = (f: number) => {
    const b = Buffer.from(good)
    b.writeUInt16BE(f, 2)
    return b
  }
  const withCount = (n: number) => {
    const b = Buffer.from(good)
    b.writeUInt16BE(n, 4)
    return b
  }
  const rc = (b: Buffer) => describeResponse(bytes(respond(b, 'udp', index, cfg))).rcode
  assert.equal(respond(Buffer.alloc(5), 'udp', index, cfg).kind, 'drop')
  assert.equal(respond(withFlags(0x8000), 'udp', index, cfg).kind, 'drop')
  assert.equal(rc(withFlags(2 << 11)), 'NOTIMP')
  assert.equal(rc(withCount(0)), 'FORMERR')
  assert.equal(rc(withCount(2)), 'FORMERR')
  assert.equal(rc(good.subarray(0, good.length - 3)), 'FORMERR')
  const loop = Buffer.concat([good.subarray(0, 12), Buffer.from([0xc0, 12, 0, 1, 0, 1])])
  assert.equal(rc(loop), 'FORMERR')
  assert.equal(rc(query('svc1.testns.svc.cluster.local', 'A', { edns: 1232, ednsVersion: 1 })), 'BADVERS')
  const chaos = dnsPacket.encode({
    type: 'query',
    id: 1,
    questions: [{ type: 'TXT', name: 'version.bind', class: 'CH' }],
  })
  assert.equal(rc(chaos), 'REFUSED')
  assert.equal(rc(query('svc1.testns.svc.cluster.local', 'AXFR')), 'REFUSED')
})

test('names outside the zone are forwarded; external CNAMEs are chased', () => {
  assert.equal(respond(query('example.com', 'A'), 'udp', index, cfg).kind, 'forward')
  const o = respond(query('external.testns.svc.cluster.local', 'A'), 'udp', index, cfg)
  assert.equal(o.kind, 'chase')
})
