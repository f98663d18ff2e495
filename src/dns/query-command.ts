// `svcnet dns query`: the answer the server would give, from manifests, without a network (dig-like or --json).
import { readFileSync } from 'node:fs'
import { UsageError, type CommandSpec, type ParsedCommand } from '../flags/command.ts'
import { ANSWER_FLAGS, answerConfigFromFlags, validateAnswerConfig, type AnswerConfig } from './config.ts'
import { describeResponse, type DescribedResponse } from './describe.ts'
import { indexFromObjects, readDnsObjects } from './manifests.ts'
import { reply, respond, type Outcome } from './respond.ts'
import { encodeQuestion, typeNumber } from './wire-query.ts'

/** `svcnet dns query`'s command line. */
export const QUERY_COMMAND: CommandSpec = {
  name: 'svcnet dns query',
  args: 'NAME [TYPE]',
  summary:
    'Prints the answer svcnet DNS would give to NAME (type A unless given), from Namespaces, Services, EndpointSlices and Pods in manifests, without a network.',
  flags: {
    filename: {
      type: 'strings',
      short: 'f',
      value: 'FILE',
      description: 'multi-document YAML to read (- for stdin)',
    },
    ...ANSWER_FLAGS,
    tcp: { type: 'boolean', description: 'as over TCP (no 512-byte UDP limit)' },
    json: { type: 'boolean', description: 'print one JSON object instead of dig-like text' },
  },
  notes:
    'Names outside the zone (and reverse names that match nothing) would be forwarded upstream: printed as SERVFAIL with "forwarded": true.\nExternalNames pointing outside the zone print the CNAME alone (the upstream part needs a network).',
}

/** The JSON form: the issue's shape plus the question and whether the server would forward it. */
export interface QueryJson {
  rcode: string
  aa: boolean
  tc: boolean
  answer: string[]
  authority: string[]
  additional: string[]
  question: string
  forwarded?: boolean
}

// The config from parsed flags; every problem is reported at once.
export function queryConfig(flags: ParsedCommand['flags']): AnswerConfig {
  const cfg = answerConfigFromFlags(flags)
  const problems = validateAnswerConfig(cfg)
  if (problems.length) throw new UsageError(problems.join('\n'))
  return cfg
}

// Answers NAME TYPE from the files' objects; returns the JSON form.
export function queryFromFiles(
  files: { text: string; source: string }[],
  name: string,
  type: string,
  cfg: AnswerConfig,
  transport: 'udp' | 'tcp',
): QueryJson {
  const qtype = typeNumber(type)
  if (qtype === undefined) throw new UsageError(`unknown record type ${JSON.stringify(type)}`)
  const index = indexFromObjects(files.flatMap((f) => readDnsObjects(f.text, f.source)))
  const packet = encodeQuestion(name, qtype)
  const outcome = respond(packet, transport, index, cfg)
  const question = `${name.endsWith('.') ? name : `${name}.`} IN ${type.toUpperCase()}`
  if (outcome.kind === 'forward')
    return {
      rcode: 'SERVFAIL',
      aa: false,
      tc: false,
      answer: [],
      authority: [],
      additional: [],
      question,
      forwarded: true,
    }
  if (outcome.kind === 'drop') throw new Error(`the query was dropped: ${outcome.reason}`)
  const bytes =
    outcome.kind === 'chase' ? replyBytes(reply(outcome.query, transport, outcome.answer)) : outcome.bytes
  const d: DescribedResponse = describeResponse(bytes)
  return {
    rcode: d.rcode,
    aa: d.aa,
    tc: d.tc,
    answer: d.answer,
    authority: d.authority,
    additional: d.additional,
    question,
  }
}

// The bytes of a reply outcome.
function replyBytes(o: Outcome): Buffer {
  if (o.kind !== 'reply') throw new Error(`expected a reply, got ${o.kind}`)
  return o.bytes
}

// Prints the answer dig-style.
export function digText(j: QueryJson): string {
  const flags = ['qr', ...(j.aa ? ['aa'] : []), ...(j.tc ? ['tc'] : []), 'rd']
  const lines = [
    `;; ->>HEADER<<- opcode: QUERY, status: ${j.rcode}, id: 0`,
    `;; flags: ${flags.join(' ')}; QUERY: 1, ANSWER: ${j.answer.length}, AUTHORITY: ${j.authority.length}, ADDITIONAL: ${j.additional.length}`,
  ]
  if (j.forwarded) lines.push(';; outside the zone: svcnet DNS would forward this to its upstreams')
  lines.push('', ';; QUESTION SECTION:', `;${j.question}`)
  for (const [title, rrs] of [
    ['ANSWER', j.answer],
    ['AUTHORITY', j.authority],
    ['ADDITIONAL', j.additional],
  ] as const) {
    if (rrs.length) lines.push('', `;; ${title} SECTION:`, ...rrs)
  }
  return `${lines.join('\n')}\n`
}

// Runs `dns query` with parsed flags; returns the exit code.
export async function runQuery(parsed: ParsedCommand, stdout: (s: string) => void): Promise<number> {
  const files = (parsed.flags.filename as string[]).map((f) => ({
    text: readFileSync(f === '-' ? 0 : f, 'utf8'),
    source: f,
  }))
  if (files.length === 0) throw new UsageError('dns query needs at least one -f FILE (- for stdin)')
  const [name, type = 'A', ...extra] = parsed.positional
  if (!name) throw new UsageError('dns query needs a NAME')
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
  const cfg = queryConfig(parsed.flags)
  const j = queryFromFiles(files, name, type, cfg, parsed.flags.tcp === true ? 'tcp' : 'udp')
  stdout(parsed.flags.json === true ? `${JSON.stringify(j)}\n` : digText(j))
  return 0
}
