// Prints a trace: the packet, then every possible outcome with its chance and the rules that led there.
import { parseRule } from './rule-match.ts'
import type { TraceOutcome, TracePacket, TraceOptions } from './trace.ts'

// One step as `table CHAIN  "comment" -> TARGET [note]`.
function formatStep(s: TraceOutcome['steps'][number]): string {
  const r = parseRule(s.rule)
  const matches = s.rule.split(/(?:^| )-j /)[0]?.trim()
  const what = r.comment !== undefined ? JSON.stringify(r.comment) : matches || '(every packet)'
  const target = r.target ? ` -> ${[r.target, ...r.targetArgs].join(' ')}` : ''
  return `${s.table} ${s.chain}: ${what}${target}${s.note ? `  [${s.note}]` : ''}`
}

// A percentage with up to two decimals.
function percent(p: number): string {
  return `${(Math.round(p * 10000) / 100).toString()}%`
}

// Renders outcomes as text for a terminal or a report attachment.
export function formatTrace(pkt: TracePacket, opts: TraceOptions, outcomes: readonly TraceOutcome[]): string {
  const proto = pkt.proto ?? 'tcp'
  const where = opts.fromNode ? 'sent by the node itself: nat OUTPUT' : 'arriving at the node: nat PREROUTING'
  const lines = [`${proto} ${pkt.src}:${pkt.sport ?? 40000} -> ${pkt.dst}:${pkt.dport} (${where})`]
  if (outcomes.length === 0) lines.push('no outcome: the packet matched nothing')
  for (const o of outcomes) {
    const dest =
      o.verdict === 'DNAT'
        ? `DNAT to ${o.destination}`
        : o.verdict === 'ACCEPT'
          ? `ACCEPT unchanged (not a service address kube-proxy knows)`
          : `${o.verdict} (${o.verdict === 'REJECT' ? 'connection refused' : 'silently dropped'})`
    lines.push(
      '',
      `${percent(o.probability).padStart(7)}  ${dest}${o.masqueraded ? ', masqueraded (source NAT)' : ''}`,
    )
    for (const s of o.steps) lines.push(`         ${formatStep(s)}`)
    if (o.steps.some((s) => / --set( |$)/.test(s.rule)))
      lines.push(
        '         session affinity (ClientIP): later packets from this source stick to this endpoint',
      )
  }
  const byDest = new Map<string, number>()
  for (const o of outcomes) {
    const key = o.verdict === 'DNAT' ? o.destination! : o.verdict
    byDest.set(key, (byDest.get(key) ?? 0) + o.probability)
  }
  lines.push('', 'destinations: ' + [...byDest].map(([d, p]) => `${d} ${percent(p)}`).join(', '))
  return lines.join('\n') + '\n'
}
