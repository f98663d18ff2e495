// The DNS server: UDP and TCP listeners around respond(), a memo of encoded answers per index generation, forwarding.
import { createSocket, type Socket } from 'node:dgram'
import { createServer, type Server, type Socket as TcpSocket } from 'node:net'
import dnsPacket from 'dns-packet'
import type { DnsAnswer } from './answer.ts'
import { soaRecord } from './apex.ts'
import type { ClusterIndex } from './cluster-index.ts'
import type { AnswerConfig } from './config.ts'
import { ForwardError, type Forwarder } from './forwarder.ts'
import type { Rr } from './records.ts'
import { reply, respond, type Outcome, type Transport } from './respond.ts'
import { encodeQuestion, typeName, type Query } from './wire-query.ts'
import { responseLimit, writeResponse } from './wire-response.ts'

/** What the server reports per answered query (metrics hook). */
export interface QueryObservation {
  transport: Transport
  family: 1 | 2
  qtype: string
  rcode: string
  /** `kubernetes` (answered from the index), `forward`, `cache` (memo hit) or `error`. */
  source: 'kubernetes' | 'forward' | 'cache' | 'error'
  seconds: number
  bytes: number
}

/** Server options. */
export interface DnsServerOptions {
  index: ClusterIndex
  cfg: AnswerConfig
  forwarder: Forwarder
  /** @default "0.0.0.0" */
  address?: string
  /** 0 picks a free port (the same for UDP and TCP when possible). @default 53 */
  port?: number
  /** An idle TCP connection is closed after this long. @default 10000 */
  tcpIdleMs?: number
  /** @default 1000 */
  maxTcpConnections?: number
  /** @default 10000 memoised answers */
  maxMemo?: number
  observe?: (o: QueryObservation) => void
  log?: (msg: string) => void
}

const NO_FRAME: Buffer = Buffer.alloc(0)

// Serves DNS over UDP and TCP; close() stops both.
export class DnsServer {
  readonly #o: DnsServerOptions
  #udp: Socket | undefined
  #tcp: Server | undefined
  readonly #memo = new Map<string, Buffer>()
  #memoGeneration = -1
  readonly #connections = new Set<TcpSocket>()
  /** The bound port (after start). */
  port = 0
  /** Messages received over UDP and TCP. */
  received = 0

  constructor(opts: DnsServerOptions) {
    this.#o = opts
  }

  // Binds UDP then TCP on the same port; resolves with the port.
  async start(): Promise<number> {
    const address = this.#o.address ?? '0.0.0.0'
    // Large buffers ride out bursts (the kernel caps them at net.core.rmem_max / wmem_max).
    const udp = createSocket({
      type: address.includes(':') ? 'udp6' : 'udp4',
      recvBufferSize: 8 << 20,
      sendBufferSize: 8 << 20,
    })
    udp.on('message', (msg, rinfo) => {
      const out = this.handle(msg, 'udp')
      // Port 0 cannot be answered (and dgram throws for it): such a packet is dropped like a runt.
      if (rinfo.port === 0) return
      const send = (b: Buffer | undefined) => {
        if (b) udp.send(b, rinfo.port, rinfo.address)
      }
      if (out instanceof Promise)
        out.then(send, (err: Error) => this.#log(`udp query failed: ${err.message}`))
      else send(out)
    })
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject)
      udp.bind(this.#o.port ?? 53, address, () => {
        udp.off('error', reject)
        resolve()
      })
    })
    udp.on('error', (err) => this.#log(`udp socket: ${err.message}`))
    this.#udp = udp
    this.port = udp.address().port
    const tcp = createServer((sock) => this.#onConnection(sock))
    tcp.maxConnections = this.#o.maxTcpConnections ?? 1000
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject)
      tcp.listen(this.port, address, () => {
        tcp.off('error', reject)
        resolve()
      })
    })
    tcp.on('error', (err) => this.#log(`tcp listener: ${err.message}`))
    this.#tcp = tcp
    return this.port
  }

  #log(msg: string): void {
    this.#o.log?.(msg)
  }

  // A TCP client: 2-byte length-prefixed messages, pipelined; closed when idle.
  #onConnection(sock: TcpSocket): void {
    this.#connections.add(sock)
    sock.setNoDelay(true)
    sock.setTimeout(this.#o.tcpIdleMs ?? 10_000, () => sock.destroy())
    sock.on('close', () => this.#connections.delete(sock))
    sock.on('error', () => sock.destroy())
    let buf: Buffer = NO_FRAME
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0)
        if (buf.length < 2 + len) break
        const msg = buf.subarray(2, 2 + len)
        buf = buf.subarray(2 + len)
        const write = (b: Buffer | undefined) => {
          if (!b || sock.destroyed) return
          const head = Buffer.alloc(2)
          head.writeUInt16BE(b.length)
          sock.write(Buffer.concat([head, b]))
        }
        const out = this.handle(Buffer.from(msg), 'tcp')
        if (out instanceof Promise)
          out.then(write, (err: Error) => this.#log(`tcp query failed: ${err.message}`))
        else write(out)
      }
      // A length prefix promises at most 65535 bytes; anything buffered beyond one message is the next one.
      if (buf.length > 65537) sock.destroy()
    })
  }

  // Answers one message: synchronously from the memo or the index, asynchronously when forwarding.
  handle(msg: Buffer, transport: Transport): Buffer | undefined | Promise<Buffer | undefined> {
    const started = performance.now()
    this.received++
    const idx = this.#o.index
    if (this.#memoGeneration !== idx.generation) {
      this.#memo.clear()
      this.#memoGeneration = idx.generation
    }
    const key = msg.length >= 12 && this.#o.maxMemo !== 0 ? `${transport}${msg.toString('latin1', 2)}` : ''
    const memo = key ? this.#memo.get(key) : undefined
    if (memo) {
      const out = Buffer.from(memo)
      out.writeUInt16BE(msg.readUInt16BE(0), 0)
      this.#observe(transport, out, 'cache', started)
      return out
    }
    let outcome: Outcome
    try {
      outcome = respond(msg, transport, idx, this.#o.cfg)
    } catch (err) {
      this.#log(`answering failed: ${(err as Error).stack ?? String(err)}`)
      return this.#servfail(msg, transport, started)
    }
    if (outcome.kind === 'drop') return undefined
    if (outcome.kind === 'reply') {
      if (key && outcome.rcode !== 'FORMERR') {
        if (this.#memo.size >= (this.#o.maxMemo ?? 10_000)) this.#memo.clear()
        this.#memo.set(key, outcome.bytes)
      }
      this.#observe(transport, outcome.bytes, 'kubernetes', started)
      return outcome.bytes
    }
    if (outcome.kind === 'forward') return this.#forward(outcome.query, msg, transport, started)
    return this.#chase(outcome.query, outcome.answer, transport, started)
  }

  #observe(transport: Transport, out: Buffer, source: QueryObservation['source'], started: number): void {
    if (!this.#o.observe) return
    const rcode = out.readUInt16BE(2) & 0xf
    this.#o.observe({
      transport,
      family: 1,
      qtype: out.readUInt16BE(4) ? typeAfterQuestion(out) : 'NONE',
      rcode: RCODE_NAMES[rcode] ?? String(rcode),
      source,
      seconds: (performance.now() - started) / 1000,
      bytes: out.length,
    })
  }

  // SERVFAIL (or REFUSED) for a query that could not be answered.
  #fail(q: Query, transport: Transport, rcode: 'SERVFAIL' | 'REFUSED', started: number): Buffer | undefined {
    const o = reply(q, transport, { rcode, aa: false, answer: [], authority: [], additional: [] })
    if (o.kind !== 'reply') return undefined
    this.#observe(transport, o.bytes, 'error', started)
    return o.bytes
  }

  #servfail(msg: Buffer, transport: Transport, started: number): Buffer | undefined {
    if (msg.length < 12) return undefined
    const out = writeResponse(
      { id: msg.readUInt16BE(0), queryFlags: msg.readUInt16BE(2), rcode: 'SERVFAIL', aa: false },
      { answer: [], authority: [], additional: [] },
      512,
    )
    this.#observe(transport, out, 'error', started)
    return out
  }

  async #forward(q: Query, msg: Buffer, transport: Transport, started: number): Promise<Buffer | undefined> {
    try {
      const out = await this.#o.forwarder.forward(q, msg, transport)
      // An upstream answer too big for this client's UDP limit is cut to its header and question, with TC.
      if (out.length > responseLimit(transport, q.edns)) {
        const head = out.subarray(0, 12 + q.question.length)
        const cut = Buffer.from(head)
        cut.writeUInt16BE(out.readUInt16BE(2) | 0x0200, 2)
        cut.fill(0, 6, 12)
        this.#observe(transport, cut, 'forward', started)
        return cut
      }
      this.#observe(transport, out, 'forward', started)
      return out
    } catch (err) {
      const rcode = err instanceof ForwardError ? err.rcode : 'SERVFAIL'
      return this.#fail(q, transport, rcode, started)
    }
  }

  // ExternalName outside the zone: CNAME first, then the upstream's answer for the target (nothing if it fails).
  async #chase(q: Query, a: DnsAnswer, transport: Transport, started: number): Promise<Buffer | undefined> {
    const target = a.chase!
    let records: Rr[] | undefined
    try {
      records = await this.#lookupUpstream(target.name, q.qtype, transport)
    } catch (err) {
      this.#log(`ExternalName target ${target.name}: ${(err as Error).message}`)
    }
    const cfg = this.#o.cfg
    const name = q.name
    const answer = records ? [...a.answer, ...records] : []
    const authority = answer.length
      ? []
      : [soaRecord(name.slice(name.length - cfg.zone.length), cfg, this.#o.index.serial())]
    const o = reply(q, transport, { rcode: 'NOERROR', aa: true, answer, authority, additional: [] })
    if (o.kind !== 'reply') return undefined
    this.#observe(transport, o.bytes, 'forward', started)
    return o.bytes
  }

  // Looks a name up upstream (through the forwarder and its cache); returns the answer's A/AAAA/CNAME/TXT records.
  async #lookupUpstream(name: string, qtype: number, transport: Transport): Promise<Rr[]> {
    const packet = encodeQuestion(name, qtype)
    const q: Query = {
      id: 0,
      flags: 0x0100,
      name: name.replace(/\.$/, ''),
      qtype,
      qclass: 1,
      question: packet.subarray(12),
    }
    const bytes = await this.#o.forwarder.forward(q, packet, transport)
    const rcode = bytes.readUInt16BE(2) & 0xf
    if (rcode !== 0 && rcode !== 3) throw new Error(`upstream answered ${RCODE_NAMES[rcode] ?? rcode}`)
    const res = dnsPacket.decode(bytes)
    const out: Rr[] = []
    for (const r of res.answers ?? []) {
      const base = { name: `${r.name}.`, ttl: (r as { ttl?: number }).ttl ?? 0 }
      if (r.type === 'A' || r.type === 'AAAA') out.push({ ...base, type: r.type, address: String(r.data) })
      else if (r.type === 'CNAME') out.push({ ...base, type: 'CNAME', target: `${String(r.data)}.` })
      else if (r.type === 'TXT')
        out.push({
          ...base,
          type: 'TXT',
          text: (r.data as Buffer[]).map((b) => Buffer.from(b).toString('utf8')),
        })
    }
    return out
  }

  // Stops listening and closes every TCP connection.
  async close(): Promise<void> {
    for (const s of this.#connections) s.destroy()
    await Promise.all([
      new Promise<void>((resolve) => (this.#udp ? this.#udp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.#tcp ? this.#tcp.close(() => resolve()) : resolve())),
    ])
  }
}

const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED']

// The qtype of a response's first question.
function typeAfterQuestion(buf: Buffer): string {
  let o = 12
  while (o < buf.length && buf[o]! !== 0) {
    if ((buf[o]! & 0xc0) === 0xc0) {
      o += 1
      break
    }
    o += 1 + buf[o]!
  }
  o += 1
  return o + 2 <= buf.length ? typeName(buf.readUInt16BE(o)) : 'NONE'
}
