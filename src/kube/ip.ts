// IP addresses: IPv4 and CIDRs (strict as the API server, or sloppy as Go's ParseIPSloppy), math and printing;
// IPv6 groups and RFC 5952 text.
import { isIPv4, isIPv6 } from 'node:net'

/** How strictly to read a dotted quad: `strict` refuses leading zeros (API validation), `sloppy` accepts them. */
export type IPv4Syntax = 'strict' | 'sloppy'

// Parses a dotted-quad IPv4 address into a 32-bit unsigned number, or undefined when it is not one.
export function parseIPv4(text: string, syntax: IPv4Syntax = 'strict'): number | undefined {
  const parts = (syntax === 'sloppy' ? text.trim() : text).split('.')
  if (parts.length !== 4) return undefined
  const octet = syntax === 'sloppy' ? /^\d{1,3}$/ : /^(0|[1-9]\d{0,2})$/
  let n = 0
  for (const p of parts) {
    if (!octet.test(p) || Number(p) > 255) return undefined
    n = n * 256 + Number(p)
  }
  return n
}

// Formats a 32-bit unsigned number as a dotted-quad IPv4 address.
export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

// Parses an IPv4 address and throws a TypeError naming it when it is not one.
export function mustParseIPv4(text: string): number {
  const n = parseIPv4(text)
  if (n === undefined) throw new TypeError(`not an IPv4 address: "${text}"`)
  return n
}

// The canonical dotted form of a sloppily written IPv4 address ("10.180.00.001" → "10.180.0.1"), or undefined.
export function canonicalIPv4(text: string): string | undefined {
  const n = parseIPv4(text, 'sloppy')
  return n === undefined ? undefined : formatIPv4(n)
}

/** A parsed IPv4 CIDR, host bits masked off. */
export interface Cidr4 {
  /** The network address, masked ("203.0.113.0"). */
  network: string
  /** The network address as a number. */
  base: number
  /** The prefix length (0–32). */
  prefix: number
  /** How many addresses the block holds (2^(32-prefix)). */
  size: number
  /** True when the text had bits set beyond the prefix ("10.0.0.1/24"). */
  hostBitsSet: boolean
}

// Parses "a.b.c.d/n" (host bits masked off, hostBitsSet says whether there were any); undefined when not IPv4 CIDR.
export function parseCidr4(text: string, syntax: IPv4Syntax = 'sloppy'): Cidr4 | undefined {
  const [addr, len, ...rest] = text.trim().split('/')
  if (addr === undefined || len === undefined || rest.length > 0 || !/^\d{1,2}$/.test(len)) return undefined
  const ip = parseIPv4(addr, syntax)
  const prefix = Number(len)
  if (ip === undefined || prefix > 32) return undefined
  const size = 2 ** (32 - prefix)
  const base = ip - (ip % size)
  return { network: formatIPv4(base), base, prefix, size, hostBitsSet: base !== ip }
}

// Parses a CIDR and throws a TypeError naming it when it is not IPv4 CIDR notation.
export function mustParseCidr4(text: string): Cidr4 {
  const c = parseCidr4(text)
  if (!c) throw new TypeError(`not an IPv4 CIDR: "${text}"`)
  return c
}

// Prints a parsed CIDR as "a.b.c.d/n".
export function formatCidr4(c: Cidr4): string {
  return `${c.network}/${c.prefix}`
}

// True when the (sloppily written) IPv4 address lies inside the CIDR.
export function cidrContains(c: Cidr4, ip: string): boolean {
  const n = parseIPv4(ip, 'sloppy')
  return n !== undefined && n >= c.base && n < c.base + c.size
}

// The index-th address of a CIDR (0 is the network address itself).
export function cidrAddress(c: Cidr4, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= c.size) {
    throw new RangeError(`address #${index} is outside ${formatCidr4(c)} (${c.size} addresses)`)
  }
  return formatIPv4(c.base + index)
}

/** An inclusive range of IPv4 addresses, as numbers. */
export interface IPv4Range {
  first: number
  last: number
}

// Parses an inclusive range "a.b.c.d-e.f.g.h" (first ≤ last), or undefined when it is not one.
export function parseIPv4Range(text: string): IPv4Range | undefined {
  const [a, b, ...rest] = text.split('-')
  if (a === undefined || b === undefined || rest.length > 0) return undefined
  const first = parseIPv4(a.trim())
  const last = parseIPv4(b.trim())
  if (first === undefined || last === undefined || first > last) return undefined
  return { first, last }
}

// Prints a range as "a.b.c.d-e.f.g.h".
export function formatIPv4Range(r: IPv4Range): string {
  return `${formatIPv4(r.first)}-${formatIPv4(r.last)}`
}

// The 8 16-bit groups of an IPv6 address (IPv4-suffixed forms included), or undefined when it is not one.
export function ipv6Groups(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined
  let s = text.split('%')[0]!
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  if (v4) {
    const o = v4[1]!.split('.').map(Number)
    s =
      s.slice(0, -v4[1]!.length) +
      `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`
  }
  const [head, tail] = s.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0')
  const groups = [...h, ...fill, ...t].map((g) => parseInt(g, 16))
  return groups.length === 8 ? groups : undefined
}

// RFC 5952 text of 8 groups: lower case, no leading zeros, the longest run (≥2) of zero groups as `::`.
export function formatIPv6(groups: readonly number[]): string {
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best === -1) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

// The canonical text of an IP address ("2001:DB8:0::1" → "2001:db8::1"), or undefined when it is not an IP.
export function canonicalIP(text: string): string | undefined {
  if (isIPv4(text)) return text
  const g = ipv6Groups(text)
  return g ? formatIPv6(g) : undefined
}
