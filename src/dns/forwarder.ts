// Forwards queries outside the zone to upstream resolvers over UDP (TCP when the client used TCP), with a TTL cache.
import { createSocket, type Socket } from 'node:dgram'
import { tcpExchange } from './tcp-exchange.ts'
import { isIPv6 } from 'node:net'
import type { Query } from './wire-query.ts'
import { walkTtls } from './ttl-walk.ts'

/** An upstream resolver. */
export interface Upstream {
  host: string
  port: number
}

/** Forwarder options. */
export interface ForwarderOptions {
  upstreams: Upstream[]
  /** Per-upstream attempt. @default 2000 */
  timeoutMs?: number
  /** Longest time an answer is cached, seconds (kind's `cache 30`); 0 disables the cache. @default 30 */
  maxCacheTtl?: number
  /** @default 10000 entries */
  maxCacheEntries?: number
  /** In-flight upstream queries beyond which new ones are refused (`max_concurrent 1000`). @default 1000 */
  maxConcurrent?: number
  /** @default Date.now */
  now?: () => number
  /** Where socket errors are reported. @default nothing */
  log?: (msg: string) => void
}

// Thrown when a query cannot be forwarded: no upstream, all timed out, or too many in flight.
export class ForwardError extends Error {
  readonly rcode: 'SERVFAIL' | 'REFUSED'
  constructor(message: string, rcode: 'SERVFAIL' | 'REFUSED' = 'SERVFAIL') {
    super(message)
    this.name = 'ForwardError'
    this.rcode = rcode
  }
}

/** A cached upstream response. */
interface CacheEntry {
  bytes: Buffer
  storedAt: number
  expires: number
  ttlOffsets: number[]
  questionEnd: number
}

/** Counters for metrics. */
export interface ForwarderStats {
  cacheHits: number
  cacheMisses: number
  requests: Map<string, number>
  failures: number
}

// Parses resolv.conf text into upstreams (port 53); skips malformed lines.
export function upstreamsFromResolvConf(text: string): Upstream[] {
  const out: Upstream[] = []
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line)
    if (m) out.push({ host: m[1]!.split('%')[0]!, port: 53 })
  }
  return out
}

// Parses `host`, `host:port` or `[v6]:port`.
export function parseUpstream(text: string): Upstream {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text)
  if (m) return { host: m[1]!, port: m[2] ? Number(m[2]) : 53 }
  if (isIPv6(text)) return { host: text, port: 53 }
  throw new TypeError(`invalid upstream ${JSON.stringify(text)}: want host, host:port or [ipv6]:port`)
}

// Forwards raw queries and caches the answers; answers keep the client's id and question case.
export class Forwarder {
  readonly #o: Required<Omit<ForwarderOptions, 'now' | 'log'>> & {
    now: () => number
    log: (m: string) => void
  }
  readonly #cache = new Map<string, CacheEntry>()
  readonly #pending = new Map<
    number,
    { resolve: (b: Buffer) => void; upstream: Upstream; question: Buffer }
  >()
  #sockets: { v4?: Socket; v6?: Socket } = {}
  readonly stats: ForwarderStats = { cacheHits: 0, cacheMisses: 0, requests: new Map(), failures: 0 }

  constructor(opts: ForwarderOptions) {
    this.#o = {
      timeoutMs: 2000,
      maxCacheTtl: 30,
      maxCacheEntries: 10_000,
      maxConcurrent: 1000,
      now: Date.now,
      log: () => {},
      ...opts,
    }
  }

  get upstreams(): readonly Upstream[] {
    return this.#o.upstreams
  }

  // The socket for an upstream's family, created on first use.
  #socket(u: Upstream): Socket {
    const fam = isIPv6(u.host) ? 'v6' : 'v4'
    let s = this.#sockets[fam]
    if (!s) {
      s = createSocket(fam === 'v6' ? 'udp6' : 'udp4')
      s.on('message', (msg, rinfo) => this.#onReply(msg, rinfo.address, rinfo.port))
      s.on('error', (err) => this.#o.log(`upstream socket (${fam}): ${err.message}`))
      s.unref()
      this.#sockets[fam] = s
    }
    return s
  }

  #onReply(msg: Buffer, address: string, port: number): void {
    if (msg.length < 12) return
    const p = this.#pending.get(msg.readUInt16BE(0))
    if (!p || p.upstream.port !== port || p.upstream.host !== address) return
    const got = walkTtls(msg)
    if (
      !got ||
      msg.subarray(12, got.questionEnd).toString('latin1').toLowerCase() !==
        p.question.toString('latin1').toLowerCase()
    )
      return
    p.resolve(msg)
  }

  // A free 16-bit id for an upstream query.
  #freeId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 65536)
      if (!this.#pending.has(id)) return id
    }
  }

  // One UDP exchange with one upstream; rejects on timeout.
  #udp(u: Upstream, packet: Buffer, question: Buffer): Promise<Buffer> {
    const id = this.#freeId()
    const out = Buffer.from(packet)
    out.writeUInt16BE(id, 0)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new Error(`${u.host}:${u.port} did not answer within ${this.#o.timeoutMs}ms`))
      }, this.#o.timeoutMs)
      this.#pending.set(id, {
        upstream: u,
        question,
        resolve: (b) => {
          clearTimeout(timer)
          this.#pending.delete(id)
          resolve(b)
        },
      })
      this.#socket(u).send(out, u.port, u.host, (err) => {
        if (!err) return
        clearTimeout(timer)
        this.#pending.delete(id)
        reject(new Error(`sending to ${u.host}:${u.port}: ${err.message}`))
      })
    })
  }

  // One TCP exchange with one upstream; rejects on timeout or a short reply.
  #tcp(u: Upstream, packet: Buffer): Promise<Buffer> {
    return tcpExchange(u.host, u.port, packet, this.#o.timeoutMs)
  }

  // The cache key of a query: name (lower case), type, class, DO and CD.
  #key(q: Query): string {
    return `${q.name.toLowerCase()}|${q.qtype}|${q.qclass}|${q.edns?.dnssecOk ? 1 : 0}|${q.flags & 0x10 ? 1 : 0}|${q.edns ? 1 : 0}`
  }

  // A cached answer for the query, with its id, question and remaining TTLs; undefined on a miss.
  cached(q: Query): Buffer | undefined {
    const key = this.#key(q)
    const e = this.#cache.get(key)
    if (!e) return undefined
    const now = this.#o.now()
    if (now >= e.expires) {
      this.#cache.delete(key)
      return undefined
    }
    const out = Buffer.from(e.bytes)
    out.writeUInt16BE(q.id, 0)
    if (e.questionEnd - 12 === q.question.length) q.question.copy(out, 12)
    const age = Math.floor((now - e.storedAt) / 1000)
    for (const at of e.ttlOffsets) out.writeUInt32BE(Math.max(0, out.readUInt32BE(at) - age), at)
    return out
  }

  // Stores a NOERROR/NXDOMAIN, untruncated answer for its smallest TTL, at most maxCacheTtl.
  #store(q: Query, bytes: Buffer): void {
    if (this.#o.maxCacheTtl <= 0) return
    const rcode = bytes.readUInt16BE(2) & 0xf
    if ((rcode !== 0 && rcode !== 3) || bytes.readUInt16BE(2) & 0x0200) return
    const walked = walkTtls(bytes)
    if (!walked) return
    const ttl = Math.min(walked.offsets.length ? walked.min : 5, this.#o.maxCacheTtl)
    if (ttl <= 0) return
    if (this.#cache.size >= this.#o.maxCacheEntries) this.#cache.clear()
    const now = this.#o.now()
    this.#cache.set(this.#key(q), {
      bytes: Buffer.from(bytes),
      storedAt: now,
      expires: now + ttl * 1000,
      ttlOffsets: walked.offsets,
      questionEnd: walked.questionEnd,
    })
  }

  // Forwards a query (raw packet as received) to the upstreams in order; resolves with the answer for the client.
  async forward(q: Query, packet: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer> {
    const hit = this.cached(q)
    if (hit) {
      this.stats.cacheHits++
      return hit
    }
    this.stats.cacheMisses++
    if (this.#o.upstreams.length === 0) throw new ForwardError('no upstream resolver is configured')
    if (this.#pending.size >= this.#o.maxConcurrent)
      throw new ForwardError(`more than ${this.#o.maxConcurrent} queries in flight upstream`, 'REFUSED')
    const problems: string[] = []
    for (const u of this.#o.upstreams) {
      const to = `${u.host}:${u.port}`
      this.stats.requests.set(to, (this.stats.requests.get(to) ?? 0) + 1)
      try {
        const reply =
          transport === 'tcp' ? await this.#tcp(u, packet) : await this.#udp(u, packet, q.question)
        const out = Buffer.from(reply)
        out.writeUInt16BE(q.id, 0)
        this.#store(q, out)
        return out
      } catch (err) {
        problems.push((err as Error).message)
      }
    }
    this.stats.failures++
    throw new ForwardError(`no upstream answered: ${problems.join('; ')}`)
  }

  // Closes the sockets.
  close(): void {
    this.#sockets.v4?.close()
    this.#sockets.v6?.close()
    this.#sockets = {}
  }
}
