// One query in, what to do with it out: a response to send, a query to forward, a CNAME to chase upstream, or nothing.
import { answer, type DnsAnswer } from './answer.ts'
import type { AnswerConfig } from './config.ts'
import type { DnsIndex } from './dns-index.ts'
import { readQuery, typeName, type Query } from './wire-query.ts'
import { responseLimit, writeResponse, type Sections } from './wire-response.ts'
import type { Rcode } from './records.ts'

/** Which transport a query came over. */
export type Transport = 'udp' | 'tcp'

/** What the server does with a query. */
export type Outcome =
  | { kind: 'reply'; bytes: Buffer; rcode: Rcode; qtype?: string }
  | { kind: 'forward'; query: Query }
  | { kind: 'chase'; query: Query; answer: DnsAnswer }
  | { kind: 'drop'; reason: string }

// Encodes an answer for a query, truncated to what the transport allows.
export function reply(
  query: Query,
  transport: Transport,
  a: Pick<DnsAnswer, 'rcode' | 'aa'> & Sections,
): Outcome {
  const bytes = writeResponse(
    {
      id: query.id,
      queryFlags: query.flags,
      rcode: a.rcode,
      aa: a.aa,
      question: query.question,
      questionName: query.plainName ? query.name : undefined,
      edns: query.edns,
    },
    a,
    responseLimit(transport, query.edns),
  )
  return { kind: 'reply', bytes, rcode: a.rcode, qtype: typeName(query.qtype) }
}

const EMPTY: Sections = { answer: [], authority: [], additional: [] }

// Handles one raw query against the index (no I/O): malformed → FORMERR/NOTIMP/BADVERS or drop, class ≠ IN → REFUSED.
export function respond(buf: Buffer, transport: Transport, index: DnsIndex, cfg: AnswerConfig): Outcome {
  const q = readQuery(buf)
  if ('error' in q) {
    if (q.error === 'drop') return { kind: 'drop', reason: q.reason }
    const bytes = writeResponse(
      { id: q.id, queryFlags: q.flags, rcode: q.error, aa: false, question: q.question, edns: q.edns },
      EMPTY,
      512,
    )
    return { kind: 'reply', bytes, rcode: q.error }
  }
  if (q.qclass !== 1) return reply(q, transport, { rcode: 'REFUSED', aa: false, ...EMPTY })
  const a = answer({ name: q.name, type: typeName(q.qtype) }, index, cfg)
  if (a.forward) return { kind: 'forward', query: q }
  if (a.chase) return { kind: 'chase', query: q, answer: a }
  return reply(q, transport, a)
}
