// One iptables rule as the packet tracer needs it: its matches evaluated against a packet, and its target.
import { addressMatches, isLoopback } from '../ip-family.ts'
import { tokenize } from '../iptables/restore-parse.ts'

/** A packet at one point of its way, plus what netfilter knows about it. */
export interface PacketState {
  src: string
  dst: string
  dport: number
  sport: number
  /** Lower case: tcp, udp, sctp. */
  proto: string
  /** The packet mark (KUBE-MARK-MASQ sets 0x4000). */
  mark: number
  /** Conntrack states the packet has: NEW, plus DNAT once it was translated. */
  ctstate: ReadonlySet<string>
  /** Addresses that are local to the node (addrtype LOCAL; 127.0.0.0/8 and ::1 are always local). */
  local: ReadonlySet<string>
}

/** How a rule's matches turned out: no, yes, or yes with a probability (statistic random). */
export type MatchResult = { matched: false } | { matched: true; probability: number; note?: string }

/** A parsed rule. */
export interface ParsedRule {
  text: string
  comment: string | undefined
  matches: ((p: PacketState) => MatchResult)[]
  target: string | undefined
  targetArgs: string[]
}

const YES: MatchResult = { matched: true, probability: 1 }
const NO: MatchResult = { matched: false }

// True when the address is local to the node.
export function isLocal(ip: string, local: ReadonlySet<string>): boolean {
  return local.has(ip) || isLoopback(ip)
}

// Matches an address against `IP`, `IP/LEN` or a CIDR of either family (never across families).
function inNet(ip: string, net: string): boolean {
  return addressMatches(ip, net)
}

// Parses `0x4000/0x4000` or `0x4000` into value and mask.
function markSpec(text: string): { value: number; mask: number } {
  const [v, m] = text.split('/')
  return { value: Number(v), mask: m === undefined ? 0xffffffff : Number(m) }
}

// Parses one rule (the text after `-A CHAIN `); throws naming an option it does not understand.
export function parseRule(text: string): ParsedRule {
  const tokens = tokenize(text)
  const matches: ParsedRule['matches'] = []
  let comment: string | undefined
  let negate = false
  let i = 0
  const value = () => {
    const v = tokens[++i]
    if (v === undefined) throw new Error(`option ${tokens[i - 1]} has no value in rule: ${text}`)
    return v
  }
  const add = (m: (p: PacketState) => MatchResult) => {
    const neg = negate
    negate = false
    matches.push(
      neg
        ? (p) => {
            const r = m(p)
            return r.matched ? NO : YES
          }
        : m,
    )
  }
  const test = (f: (p: PacketState) => boolean) => add((p) => (f(p) ? YES : NO))
  for (; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t === '-j' || t === '--jump') break
    switch (t) {
      case '!':
        negate = true
        break
      case '-m':
      case '--match':
        value()
        break
      case '-s':
      case '--source': {
        const net = value()
        test((p) => inNet(p.src, net))
        break
      }
      case '-d':
      case '--destination': {
        const net = value()
        test((p) => inNet(p.dst, net))
        break
      }
      case '-p':
      case '--protocol': {
        const proto = value().toLowerCase()
        test((p) => p.proto === proto)
        break
      }
      case '--dport':
      case '--destination-port': {
        const port = Number(value())
        test((p) => p.dport === port)
        break
      }
      case '--sport':
      case '--source-port': {
        const port = Number(value())
        test((p) => p.sport === port)
        break
      }
      case '--comment':
        comment = value()
        break
      case '--dst-type': {
        const type = value()
        if (type !== 'LOCAL') throw new Error(`addrtype ${type} is not supported in rule: ${text}`)
        test((p) => isLocal(p.dst, p.local))
        break
      }
      case '--src-type': {
        const type = value()
        if (type !== 'LOCAL') throw new Error(`addrtype ${type} is not supported in rule: ${text}`)
        test((p) => isLocal(p.src, p.local))
        break
      }
      case '--mode':
        if (value() !== 'random') throw new Error(`only statistic --mode random is supported: ${text}`)
        break
      case '--probability': {
        const probability = Number(value())
        add(() => ({ matched: true, probability }))
        break
      }
      case '--mark': {
        const { value: v, mask } = markSpec(value())
        test((p) => (p.mark & mask) >>> 0 === v >>> 0)
        break
      }
      case '--ctstate':
      case '--state': {
        const states = value().split(',')
        test((p) => states.some((s) => p.ctstate.has(s)))
        break
      }
      case '--rcheck': {
        // A first packet has no `recent` entry yet; later packets from the same client match (session affinity).
        add(() => NO)
        break
      }
      case '--name':
      case '--seconds':
      case '--mask':
      case '--nfacct-name':
        value()
        break
      case '--set':
      case '--reap':
      case '--rsource':
        break
      case '-i':
      case '-o':
      case '--in-interface':
      case '--out-interface':
        // Interfaces are not modelled: the rule is taken as matching, and says so.
        {
          const iface = value()
          add(() => ({ matched: true, probability: 1, note: `interface ${iface} assumed to match` }))
        }
        break
      default:
        throw new Error(`the tracer does not understand ${JSON.stringify(t)} in rule: ${text}`)
    }
  }
  const target = tokens[i + 1]
  return { text, comment, matches, target, targetArgs: tokens.slice(i + 2) }
}

// Evaluates every match of a rule: no when any fails, else the product of the probabilities.
export function matchRule(rule: ParsedRule, p: PacketState): MatchResult {
  let probability = 1
  const notes: string[] = []
  for (const m of rule.matches) {
    const r = m(p)
    if (!r.matched) return NO
    probability *= r.probability
    if (r.note) notes.push(r.note)
  }
  return notes.length
    ? { matched: true, probability, note: notes.join('; ') }
    : { matched: true, probability }
}

// Applies a MARK target's options to a mark.
export function applyMark(mark: number, args: readonly string[]): number {
  const [op, arg] = args
  if (arg === undefined) throw new Error(`MARK needs an option and a value, got ${args.join(' ')}`)
  const { value, mask } = markSpec(arg)
  switch (op) {
    case '--or-mark':
      return (mark | value) >>> 0
    case '--xor-mark':
      return (mark ^ value) >>> 0
    case '--and-mark':
      return (mark & value) >>> 0
    case '--set-mark':
    case '--set-xmark':
      return ((mark & ~mask) ^ value) >>> 0
    default:
      throw new Error(`unsupported MARK option ${op}`)
  }
}
