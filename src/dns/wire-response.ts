// Writes responses: header, the echoed question, records with name compression, EDNS0 OPT, truncation with TC.
import type { Edns } from './wire-query.ts'
import { RCODE_VALUE, TYPE_VALUE, type Rcode, type Rr } from './records.ts'
import { isIPv4 } from 'node:net'
import { ipv6Groups } from '../kube/ip.ts'

/** What the response says besides its records. */
export interface ResponseHead {
  id: number
  /** The query's flags word: RD and CD are copied. */
  queryFlags: number
  rcode: Rcode
  aa: boolean
  ra?: boolean
  /** The raw question section to echo (none in some error responses). */
  question?: Buffer
  /** The question's name when its labels hold no dots: compression entries come from it without re-reading bytes. */
  questionName?: string
  /** Present when the query had EDNS0: the response carries an OPT too. */
  edns?: Edns
}

/** The UDP payload size svcnet advertises in its OPT. */
export const EDNS_UDP_SIZE = 1232

const scratch = Buffer.alloc(65535 + 512)

// Writes a name at `o`, reusing earlier suffixes through pointers; returns the new offset.
function writeName(buf: Buffer, o: number, name: string, table: Map<string, number>): number {
  const n = name.endsWith('.') ? name.slice(0, -1) : name
  if (n === '') {
    buf[o] = 0
    return o + 1
  }
  let rest = n
  for (;;) {
    const at = table.get(rest)
    if (at !== undefined) {
      buf.writeUInt16BE(0xc000 | at, o)
      return o + 2
    }
    if (o < 0x3fff) table.set(rest, o)
    const dot = rest.indexOf('.')
    const label = dot === -1 ? rest : rest.slice(0, dot)
    if (label.length === 0 || label.length > 63) throw new RangeError(`bad label in ${JSON.stringify(name)}`)
    buf[o] = buf.write(label, o + 1, 'latin1')
    o += 1 + buf[o]!
    if (dot === -1) {
      buf[o] = 0
      return o + 1
    }
    rest = rest.slice(dot + 1)
  }
}

// Registers every suffix of the question's name: in a name without dots inside labels, the label starting at
// string index i has its length byte at wire offset 12 + i.
function tableFromName(name: string, table: Map<string, number>): void {
  if (name === '') return
  let i = 0
  for (;;) {
    table.set(i === 0 ? name : name.slice(i), 12 + i)
    const dot = name.indexOf('.', i)
    if (dot === -1) return
    i = dot + 1
  }
}

// Registers the question's name in the compression table (it sits at offset 12).
function tableFromQuestion(question: Buffer, table: Map<string, number>): void {
  const labels: { at: number; text: string }[] = []
  let o = 0
  while (o < question.length && question[o]! > 0 && question[o]! < 64) {
    const len = question[o]!
    const text = question.toString('latin1', o + 1, o + 1 + len)
    if (text.includes('.')) return
    labels.push({ at: 12 + o, text })
    o += 1 + len
  }
  for (let i = 0; i < labels.length; i++)
    table.set(
      labels
        .slice(i)
        .map((l) => l.text)
        .join('.'),
      labels[i]!.at,
    )
}

// Writes one record at `o`; returns the new offset.
function writeRecord(buf: Buffer, o: number, rr: Rr, table: Map<string, number>): number {
  o = writeName(buf, o, rr.name, table)
  buf.writeUInt16BE(TYPE_VALUE[rr.type], o)
  buf.writeUInt16BE(1, o + 2)
  buf.writeUInt32BE(rr.ttl >>> 0, o + 4)
  const lenAt = o + 8
  o += 10
  switch (rr.type) {
    case 'A':
      if (!isIPv4(rr.address)) throw new RangeError(`not IPv4: ${rr.address}`)
      for (const p of rr.address.split('.')) buf[o++] = Number(p)
      break
    case 'AAAA': {
      const g = ipv6Groups(rr.address)
      if (!g) throw new RangeError(`not IPv6: ${rr.address}`)
      for (const x of g) o = buf.writeUInt16BE(x, o)
      break
    }
    case 'CNAME':
    case 'PTR':
    case 'NS':
      o = writeName(buf, o, rr.target, table)
      break
    case 'SRV':
      o = buf.writeUInt16BE(rr.priority, o)
      o = buf.writeUInt16BE(rr.weight, o)
      o = buf.writeUInt16BE(rr.port, o)
      // RFC 2782: the target is not compressed.
      o = writeName(buf, o, rr.target, new Map())
      break
    case 'TXT':
      for (const s of rr.text) {
        const b = Buffer.from(s, 'utf8').subarray(0, 255)
        buf[o] = b.length
        b.copy(buf, o + 1)
        o += 1 + b.length
      }
      break
    case 'SOA':
      o = writeName(buf, o, rr.mname, table)
      o = writeName(buf, o, rr.rname, table)
      for (const v of [rr.serial, rr.refresh, rr.retry, rr.expire, rr.minimum])
        o = buf.writeUInt32BE(v >>> 0, o)
      break
  }
  buf.writeUInt16BE(o - lenAt - 2, lenAt)
  return o
}

/** The sections of a response. */
export interface Sections {
  answer: Rr[]
  authority: Rr[]
  additional: Rr[]
}

// Encodes a response no larger than `limit` bytes: records that do not fit are dropped and TC is set (CoreDNS Scrub).
export function writeResponse(head: ResponseHead, sections: Sections, limit: number): Buffer {
  const buf = scratch
  const table = new Map<string, number>()
  const ext = RCODE_VALUE[head.rcode]
  let flags = 0x8000 | (head.queryFlags & 0x0110) | (ext & 0xf)
  if (head.aa) flags |= 0x0400
  if (head.ra) flags |= 0x0080
  buf.writeUInt16BE(head.id, 0)
  buf.fill(0, 4, 12)
  let o = 12
  if (head.question) {
    head.question.copy(buf, 12)
    buf.writeUInt16BE(1, 4)
    o += head.question.length
    if (head.questionName !== undefined) tableFromName(head.questionName, table)
    else tableFromQuestion(head.question, table)
  }
  const optSize = head.edns ? 11 : 0
  const max = Math.min(limit, 65535) - optSize
  let truncated = false
  const counts = [0, 0, 0]
  const lists = [sections.answer, sections.authority, sections.additional]
  outer: for (let s = 0; s < 3; s++) {
    for (const rr of lists[s]!) {
      const before = o
      o = writeRecord(buf, o, rr, table)
      if (o > max) {
        o = before
        for (const [k, at] of table) if (at >= before) table.delete(k)
        truncated = true
        break outer
      }
      counts[s]!++
    }
  }
  buf.writeUInt16BE(counts[0]!, 6)
  buf.writeUInt16BE(counts[1]!, 8)
  buf.writeUInt16BE(counts[2]! + (head.edns ? 1 : 0), 10)
  if (head.edns) {
    buf[o] = 0
    buf.writeUInt16BE(TYPE_VALUE.OPT, o + 1)
    buf.writeUInt16BE(EDNS_UDP_SIZE, o + 3)
    buf[o + 5] = ext >> 4
    buf[o + 6] = 0
    buf.writeUInt16BE(head.edns.dnssecOk ? 0x8000 : 0, o + 7)
    buf.writeUInt16BE(0, o + 9)
    o += 11
  }
  if (truncated) flags |= 0x0200
  buf.writeUInt16BE(flags, 2)
  return Buffer.from(buf.subarray(0, o))
}

// The size limit of a response: 512 over UDP without EDNS, the client's EDNS size (at least 512) with it, 65535 over TCP.
export function responseLimit(transport: 'udp' | 'tcp', edns?: Edns): number {
  if (transport === 'tcp') return 65535
  return edns ? Math.max(512, Math.min(edns.udpSize, 65535)) : 512
}
