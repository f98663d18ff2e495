// Reads a query off the wire: dns-packet validates the whole message; the question is kept byte for byte.
import dnsPacket from 'dns-packet'
import type { Rcode } from './records.ts'

/** The EDNS0 OPT of a query. */
export interface Edns {
  udpSize: number
  version: number
  dnssecOk: boolean
}

/** A query the server can answer. */
export interface Query {
  id: number
  /** Header flags word of the query (RD and CD are echoed). */
  flags: number
  /** The question name exactly as sent (labels as latin1, no trailing dot; '' for the root). */
  name: string
  qtype: number
  qclass: number
  /** The raw question section (name, type, class), echoed in the response. */
  question: Buffer
  /** True when no label holds a dot, so `name` maps onto the wire byte for byte (compression can point into it). */
  plainName?: boolean
  edns?: Edns
}

/** A query that gets an error response (FORMERR, NOTIMP, REFUSED, BADVERS) or none (`drop`). */
export interface BadQuery {
  error: Rcode | 'drop'
  id: number
  flags: number
  /** The raw question when one could be read, echoed in the error response. */
  question?: Buffer
  edns?: Edns
  reason: string
}

/** Type mnemonics the answer function distinguishes; other types read `TYPE<n>` (RFC 3597). */
const TYPE_NAMES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  13: 'HINFO',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  64: 'SVCB',
  65: 'HTTPS',
  251: 'IXFR',
  252: 'AXFR',
  255: 'ANY',
}

// The mnemonic of a type number.
export function typeName(n: number): string {
  return TYPE_NAMES[n] ?? `TYPE${n}`
}

// The number of a type mnemonic (`A`, `TYPE65`), or undefined.
export function typeNumber(name: string): number | undefined {
  const upper = name.toUpperCase()
  const hit = Object.entries(TYPE_NAMES).find(([, v]) => v === upper)
  if (hit) return Number(hit[0])
  const m = /^TYPE(\d{1,5})$/.exec(upper)
  return m && Number(m[1]) < 65536 ? Number(m[1]) : undefined
}

// Walks the first question's name from offset 12: its text and end, or undefined when it uses a pointer or runs off.
function rawQuestionName(buf: Buffer): { name: string; end: number; plain: boolean } | undefined {
  const labels: string[] = []
  let plain = true
  let o = 12
  for (;;) {
    if (o >= buf.length) return undefined
    const len = buf[o]!
    if (len === 0) break
    if (len > 63 || o + 1 + len > buf.length) return undefined
    const label = buf.toString('latin1', o + 1, o + 1 + len)
    if (plain && label.includes('.')) plain = false
    labels.push(label)
    o += 1 + len
  }
  return { name: labels.join('.'), end: o + 1, plain }
}

// Parses a query; anything malformed comes back as a BadQuery saying which error to send, if any.
export function readQuery(buf: Buffer): Query | BadQuery {
  if (buf.length < 12) return { error: 'drop', id: 0, flags: 0, reason: 'shorter than a header' }
  const id = buf.readUInt16BE(0)
  const flags = buf.readUInt16BE(2)
  if (flags & 0x8000) return { error: 'drop', id, flags, reason: 'a response, not a query' }
  const opcode = (flags >> 11) & 0xf
  const qdcount = buf.readUInt16BE(4)
  if (opcode !== 0) return { error: 'NOTIMP', id, flags, reason: `opcode ${opcode}` }
  if (qdcount !== 1) return { error: 'FORMERR', id, flags, reason: `QDCOUNT ${qdcount}` }
  let packet: dnsPacket.Packet
  try {
    packet = dnsPacket.decode(buf)
  } catch (err) {
    return { error: 'FORMERR', id, flags, reason: (err as Error).message }
  }
  const raw = rawQuestionName(buf)
  if (!raw || raw.end + 4 > buf.length)
    return { error: 'FORMERR', id, flags, reason: 'compressed or malformed question name' }
  const question = buf.subarray(12, raw.end + 4)
  const opts = (packet.additionals ?? []).filter((r) => r.type === 'OPT') as dnsPacket.OptAnswer[]
  if (opts.length > 1) return { error: 'FORMERR', id, flags, question, reason: 'more than one OPT' }
  const opt = opts[0]
  const edns = opt
    ? { udpSize: opt.udpPayloadSize, version: opt.ednsVersion ?? 0, dnssecOk: opt.flag_do === true }
    : undefined
  if (edns && edns.version !== 0)
    return { error: 'BADVERS', id, flags, question, edns, reason: `EDNS version ${edns.version}` }
  const qtype = buf.readUInt16BE(raw.end)
  const qclass = buf.readUInt16BE(raw.end + 2)
  return { id, flags, name: raw.name, qtype, qclass, question, edns, plainName: raw.plain }
}

// A query packet (id 0, recursion desired) asking one question of any type number, even one dns-packet cannot name.
export function encodeQuestion(name: string, qtype: number): Buffer {
  const packet = dnsPacket.encode({
    type: 'query',
    id: 0,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: name.replace(/\.$/, ''), type: 'A', class: 'IN' }],
  })
  packet.writeUInt16BE(qtype, packet.length - 4)
  return packet
}
