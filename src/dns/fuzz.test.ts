// Fuzz: at least 100,000 random and mutated packets to a server on 127.0.0.1 (bounded in time); it answers
// FORMERR/NOTIMP/REFUSED/BADVERS or drops them, never crashes, and still answers a normal query afterwards.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { connect } from 'node:net'
import dnsPacket from 'dns-packet'
import { DEFAULT_ANSWER_CONFIG } from './config.ts'
import { Forwarder } from './forwarder.ts'
import { DnsServer } from './server.ts'
import { ask, encodeQuery } from './test-client.ts'
import { testIndex } from './test-objects.ts'
import { seededRandom } from '../random/seeded-random.ts'

/** How many packets go over UDP; the whole test stops sending after DEADLINE_MS whatever the count. */
const PACKETS = 100_000
const DEADLINE_MS = 60_000

const NAMES = [
  'svc1.testns.svc.cluster.local',
  '_http._tcp.hdls1.testns.svc.cluster.local',
  'hdls1.testns.svc.cluster.local',
  'nope.testns.svc.cluster.local',
  '1-2-3-4.testns.pod.cluster.local',
  '1.0.0.10.in-addr.arpa',
  'cluster.local',
  'dns-version.cluster.local',
  'external-to-service.testns.svc.cluster.local',
]
const TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'SOA', 'NS', 'ANY', 'MX', 'CNAME']

// One packet: a valid query, or one of the malformations the issue lists, or noise.
function packet(rand: () => number): Buffer {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
  const base = encodeQuery(pick(NAMES), pick(TYPES), {
    id: Math.floor(rand() * 65536),
    edns: rand() < 0.5 ? Math.floor(rand() * 5000) : undefined,
  })
  const b = Buffer.from(base)
  switch (Math.floor(rand() * 12)) {
    case 0: // truncated anywhere, header included
      return b.subarray(0, Math.floor(rand() * b.length))
    case 1: // random bit flips
      for (let i = 0, n = 1 + Math.floor(rand() * 8); i < n; i++)
        b[Math.floor(rand() * b.length)]! ^= 1 << Math.floor(rand() * 8)
      return b
    case 2: // QDCOUNT ≠ 1, other counts random
      b.writeUInt16BE(Math.floor(rand() * 4) === 0 ? 0 : 2 + Math.floor(rand() * 65534), 4)
      if (rand() < 0.5) b.writeUInt16BE(Math.floor(rand() * 65536), 6 + 2 * Math.floor(rand() * 3))
      return b
    case 3: // compression-pointer loops in the question
      return Buffer.concat([b.subarray(0, 12), Buffer.from([0xc0, 12, 0, 1, 0, 1])])
    case 4: // a pointer forward or to itself deeper in the name
      return Buffer.concat([
        b.subarray(0, 12),
        Buffer.from([3, 0x61, 0x62, 0x63, 0xc0, 12 + Math.floor(rand() * 8), 0, 1, 0, 1]),
      ])
    case 5: {
      // a label over 63 bytes (length byte 64..191 is not a valid label)
      const label = Buffer.alloc(64 + Math.floor(rand() * 128), 0x61)
      return Buffer.concat([
        b.subarray(0, 12),
        Buffer.from([label.length]),
        label,
        Buffer.from([0, 0, 1, 0, 1]),
      ])
    }
    case 6: {
      // a name over 255 bytes
      const labels = Array.from({ length: 5 + Math.floor(rand() * 5) }, () =>
        Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x62)]),
      )
      return Buffer.concat([b.subarray(0, 12), ...labels, Buffer.from([0, 0, 1, 0, 1])])
    }
    case 7: // unknown class
      b.writeUInt16BE(2 + Math.floor(rand() * 65000), b.indexOf(0, 12) + 3)
      return b
    case 8: // unknown opcode
      b.writeUInt16BE((b.readUInt16BE(2) & 0x87ff) | ((1 + Math.floor(rand() * 15)) << 11), 2)
      return b
    case 9: // pure noise
      return Buffer.from(Array.from({ length: Math.floor(rand() * 600) }, () => Math.floor(rand() * 256)))
    case 10: // a response, not a query; or EDNS version ≠ 0
      if (rand() < 0.5) b[2]! |= 0x80
      else if (b.length > 23 && b.readUInt16BE(10) === 1) b[b.length - 6] = 1 + Math.floor(rand() * 254)
      return b
    default: // valid
      return b
  }
}

// A normal query as a stub resolver asks it: up to 5 tries of 2 s (a try can be lost while the socket drains).
async function askWithRetries(port: number, tcp = false) {
  let last: unknown
  for (let i = 0; i < 5; i++) {
    try {
      return await ask(port, 'svc1.testns.svc.cluster.local', 'A', { tcp })
    } catch (err) {
      last = err
    }
  }
  throw last
}

const ALLOWED = new Set(['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'FORMERR', 'NOTIMP', 'REFUSED', 'BADVERS'])

test(
  `fuzz: ${PACKETS} random and mutated packets over UDP, then a normal query`,
  { timeout: 120_000 },
  async () => {
    const failures: string[] = []
    const server = new DnsServer({
      index: testIndex(),
      cfg: { ...DEFAULT_ANSWER_CONFIG, selfIPs: ['10.244.0.5'] },
      forwarder: new Forwarder({ upstreams: [] }),
      address: '127.0.0.1',
      port: 0,
      log: (m) => failures.push(m),
    })
    const port = await server.start()
    const client = createSocket('udp4')
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve))
    let answers = 0
    const rcodes = new Map<string, number>()
    client.on('message', (msg) => {
      answers++
      if (answers % 50 !== 0) return
      const ext = msg.length >= 12 ? msg.readUInt16BE(2) & 0xf : -1
      const name = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][ext] ?? 'BADVERS'
      rcodes.set(name, (rcodes.get(name) ?? 0) + 1)
      if (!ALLOWED.has(name) || !(msg.readUInt16BE(2) & 0x8000))
        failures.push(`bad answer ${msg.toString('hex')}`)
      try {
        dnsPacket.decode(msg)
      } catch (err) {
        failures.push(`unparseable answer (${(err as Error).message}): ${msg.toString('hex')}`)
      }
    })
    const rand = seededRandom(0x5eed)
    const deadline = Date.now() + DEADLINE_MS
    let sent = 0
    while (sent < PACKETS && Date.now() < deadline) {
      // Bursts of 100, then let the server take them in: a loopback socket buffer holds only so much.
      const burst = Array.from({ length: 100 }, () => packet(rand))
      await Promise.all(
        burst.map((p) => new Promise<void>((resolve) => client.send(p, port, '127.0.0.1', () => resolve()))),
      )
      sent += burst.length
      for (let spins = 0; server.received < sent - 20 && spins < 50; spins++)
        await new Promise((resolve) => setImmediate(resolve))
    }
    client.close()
    let normal
    try {
      normal = await askWithRetries(port)
    } finally {
      await server.close()
    }
    assert.ok(sent >= PACKETS, `sent only ${sent} packets before the ${DEADLINE_MS}ms deadline`)
    assert.deepEqual(failures.slice(0, 5), [])
    assert.ok(server.received >= PACKETS * 0.9, `the server took in ${server.received} of ${sent} packets`)
    assert.ok(answers > sent / 2, `${answers} answers to ${sent} packets`)
    assert.deepEqual(normal.answer, ['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1'])
    assert.ok(
      (rcodes.get('FORMERR') ?? 0) > 0 && (rcodes.get('NOTIMP') ?? 0) > 0,
      JSON.stringify([...rcodes]),
    )
  },
)

test(
  'fuzz: malformed TCP streams are cut off, idle clients time out, the server keeps serving',
  { timeout: 60_000 },
  async () => {
    const server = new DnsServer({
      index: testIndex(),
      cfg: DEFAULT_ANSWER_CONFIG,
      forwarder: new Forwarder({ upstreams: [] }),
      address: '127.0.0.1',
      port: 0,
      tcpIdleMs: 300,
    })
    const port = await server.start()
    const rand = seededRandom(0x7c9)
    // Each connection gets a stream of length-prefixed packets, some with lying lengths, then is left idle.
    const closed = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          new Promise<number>((resolve) => {
            const started = Date.now()
            const sock = connect({ host: '127.0.0.1', port })
            sock.on('error', () => {})
            sock.on('data', () => {})
            sock.on('close', () => resolve(Date.now() - started))
            sock.on('connect', () => {
              const parts: Buffer[] = []
              for (let k = 0; k < 50; k++) {
                const p = packet(rand)
                const len = Buffer.alloc(2)
                len.writeUInt16BE(i % 10 === 0 && k === 49 ? 65535 : p.length)
                parts.push(len, p)
              }
              sock.write(Buffer.concat(parts))
            })
          }),
      ),
    )
    assert.ok(
      closed.every((ms) => ms < 10_000),
      `every idle or half-sent connection was closed (max ${Math.max(...closed)}ms)`,
    )
    try {
      const tcp = await askWithRetries(port, true)
      assert.deepEqual(tcp.answer, ['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1'])
    } finally {
      await server.close()
    }
  },
)
