// Follows one packet through kube-proxy's rules as netfilter would: nat PREROUTING (or OUTPUT for traffic from the
// node) → filter INPUT/FORWARD/OUTPUT → nat POSTROUTING, branching at every `statistic --probability` rule.
import type { ParsedDump } from '../iptables/restore-parse.ts'
import { JUMP_RULES } from '../iptables/jump-rules.ts'
import { splitHostPort } from '../ip-family.ts'
import { applyMark, isLocal, matchRule, parseRule, type PacketState, type ParsedRule } from './rule-match.ts'

/** The packet to follow. */
export interface TracePacket {
  src: string
  /** @default 40000 */
  sport?: number
  dst: string
  dport: number
  /** @default "tcp" */
  proto?: string
}

/** Where the packet starts and what the node looks like. */
export interface TraceOptions {
  /** The node's own addresses (addrtype LOCAL); 127.0.0.0/8 always counts. */
  localIPs: readonly string[]
  /** The packet is sent by a process on the node (nat OUTPUT) rather than arriving (nat PREROUTING). */
  fromNode?: boolean
}

/** One rule the packet matched. */
export interface TraceStep {
  table: string
  chain: string
  rule: string
  /** e.g. "p=0.5000000000" for a random choice, or an assumption the tracer made. */
  note?: string
}

/** One way the packet can go, with its chance. */
export interface TraceOutcome {
  probability: number
  /** DNAT'ed to an endpoint, accepted unchanged, dropped or rejected. */
  verdict: 'DNAT' | 'ACCEPT' | 'DROP' | 'REJECT'
  /** `ip:port` after DNAT. */
  destination?: string
  /** Marked for masquerade and SNATed in POSTROUTING (the endpoint sees the node's address). */
  masqueraded: boolean
  steps: TraceStep[]
}

/** A packet's state on one branch. */
interface Branch {
  probability: number
  packet: PacketState
  dnat?: string
  steps: TraceStep[]
}

/** How a chain traversal ended for one branch. */
type ChainEnd = { branch: Branch; end: 'return' } | { branch: Branch; end: 'verdict'; verdict: string }

const MAX_DEPTH = 32

// Parses and caches the rules of each chain; built-in chains without rules get kube-proxy's jump rules.
class RuleSet {
  readonly #dump: ParsedDump
  readonly #cache = new Map<string, ParsedRule[]>()
  constructor(dump: ParsedDump) {
    this.#dump = dump
  }
  // The parsed rules of a chain (undefined when the table has no such chain and it is not a built-in).
  rules(table: string, chain: string): ParsedRule[] | undefined {
    const key = `${table}/${chain}`
    const cached = this.#cache.get(key)
    if (cached) return cached
    let texts = this.#dump.get(table)?.rules.get(chain)
    const jumps = JUMP_RULES.filter((j) => j.table === table && j.from === chain)
    // A rendered payload does not declare the built-in chains (kube-proxy ensures those jumps with iptables -I), so
    // they get the jumps; a live dump declares them, and an empty one there is really empty (e.g. a flushed table).
    if (!texts && jumps.length > 0)
      texts = jumps.map((j) => j.args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' '))
    if (!texts) return undefined
    const parsed = texts.map(parseRule)
    this.#cache.set(key, parsed)
    return parsed
  }
}

// Walks one chain for one branch, recursing into user chains; returns how each resulting branch ended.
function walk(rules: RuleSet, table: string, chain: string, start: Branch, depth: number): ChainEnd[] {
  if (depth > MAX_DEPTH) throw new Error(`chain nesting deeper than ${MAX_DEPTH} at ${table}/${chain}`)
  const list = rules.rules(table, chain)
  if (!list) throw new Error(`the ${table} table has no chain ${chain}`)
  const ended: ChainEnd[] = []
  let live: Branch[] = [start]
  for (const rule of list) {
    const next: Branch[] = []
    for (const b of live) {
      const m = matchRule(rule, b.packet)
      if (!m.matched) {
        next.push(b)
        continue
      }
      if (m.probability < 1) next.push({ ...b, probability: b.probability * (1 - m.probability) })
      const note = [m.probability < 1 ? `p=${m.probability}` : '', m.note ?? ''].filter(Boolean).join('; ')
      const hit: Branch = {
        ...b,
        probability: b.probability * m.probability,
        steps: [...b.steps, { table, chain, rule: rule.text, ...(note ? { note } : {}) }],
      }
      const target = rule.target
      if (target === undefined) next.push(hit)
      else if (target === 'RETURN') ended.push({ branch: hit, end: 'return' })
      else if (target === 'MARK')
        next.push({ ...hit, packet: { ...hit.packet, mark: applyMark(hit.packet.mark, rule.targetArgs) } })
      else if (target === 'DNAT') {
        const to = rule.targetArgs[rule.targetArgs.indexOf('--to-destination') + 1]
        if (!to) throw new Error(`DNAT without --to-destination: ${rule.text}`)
        const hp = splitHostPort(to)
        if (!hp)
          throw new Error(`DNAT --to-destination ${to} is not IP[:PORT] or [IPv6][:PORT]: ${rule.text}`)
        const port = hp.port
        const packet: PacketState = {
          ...hit.packet,
          dst: hp.host,
          dport: port ? Number(port) : hit.packet.dport,
          ctstate: new Set([...hit.packet.ctstate, 'DNAT']),
        }
        ended.push({ branch: { ...hit, packet, dnat: to }, end: 'verdict', verdict: 'ACCEPT' })
      } else if (['ACCEPT', 'DROP', 'REJECT', 'MASQUERADE', 'SNAT'].includes(target))
        ended.push({ branch: hit, end: 'verdict', verdict: target })
      else {
        for (const r of walk(rules, table, target, hit, depth + 1)) {
          if (r.end === 'return') next.push(r.branch)
          else ended.push(r)
        }
      }
    }
    live = next
    if (live.length === 0) break
  }
  for (const b of live) ended.push({ branch: b, end: 'return' })
  return ended
}

// Follows a packet through a dump (a restore payload or iptables-save output); outcomes are sorted by chance.
export function tracePacket(dump: ParsedDump, pkt: TracePacket, opts: TraceOptions): TraceOutcome[] {
  const rules = new RuleSet(dump)
  const start: Branch = {
    probability: 1,
    steps: [],
    packet: {
      src: pkt.src,
      sport: pkt.sport ?? 40000,
      dst: pkt.dst,
      dport: pkt.dport,
      proto: (pkt.proto ?? 'tcp').toLowerCase(),
      mark: 0,
      ctstate: new Set(['NEW']),
      local: new Set(opts.localIPs),
    },
  }
  const outcomes: TraceOutcome[] = []
  for (const natEnd of walk(rules, 'nat', opts.fromNode ? 'OUTPUT' : 'PREROUTING', start, 0)) {
    const b = natEnd.branch
    // After DNAT routing decides: local destination → INPUT, else FORWARD; the node's own traffic → OUTPUT.
    const filterChain = opts.fromNode ? 'OUTPUT' : isLocal(b.packet.dst, b.packet.local) ? 'INPUT' : 'FORWARD'
    const passed: Branch[] = []
    for (const f of walk(rules, 'filter', filterChain, b, 0)) {
      if (f.end === 'verdict' && (f.verdict === 'DROP' || f.verdict === 'REJECT'))
        outcomes.push(outcome(f.branch, f.verdict, false))
      else passed.push(f.branch)
    }
    for (const fb of passed) {
      const verdict = fb.dnat ? 'DNAT' : 'ACCEPT'
      // Locally delivered packets leave through nat INPUT, not POSTROUTING: no masquerade decision.
      if (filterChain === 'INPUT') {
        outcomes.push(outcome(fb, verdict, false))
        continue
      }
      for (const p of walk(rules, 'nat', 'POSTROUTING', fb, 0))
        outcomes.push(outcome(p.branch, verdict, p.end === 'verdict' && p.verdict === 'MASQUERADE'))
    }
  }
  // Equal chances (up to float noise) are ordered by destination, so the output is stable.
  const rank = (p: number) => Math.round(p * 1e9)
  return outcomes.sort(
    (a, b) =>
      rank(b.probability) - rank(a.probability) || (a.destination ?? '').localeCompare(b.destination ?? ''),
  )
}

// Builds an outcome from a finished branch.
function outcome(b: Branch, verdict: TraceOutcome['verdict'], masqueraded: boolean): TraceOutcome {
  return {
    probability: b.probability,
    verdict: b.dnat && verdict === 'ACCEPT' ? 'DNAT' : verdict,
    ...(b.dnat ? { destination: b.dnat } : {}),
    masqueraded,
    steps: b.steps,
  }
}
