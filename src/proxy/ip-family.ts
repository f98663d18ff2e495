// IP families for the proxier: one proxier per family, each seeing only its family's addresses (upstream's
// ipFamily); addresses and CIDRs of either family parsed, matched and printed the way kube-proxy prints them.
import { isIPv6 } from 'node:net'
import { canonicalIPv4, formatIPv6, ipv6Groups, parseIPv4 } from '../kube/ip.ts'

/** The two IP families (v1.IPFamily). */
export type IPFamily = 'IPv4' | 'IPv6'

/** Both families, IPv4 first. */
export const IP_FAMILIES: readonly IPFamily[] = ['IPv4', 'IPv6']

/** The loopback block of each family as kube-proxy writes it (`! -d 127.0.0.0/8`, `! -d ::1/128`). */
export const LOOPBACK_CIDR: Record<IPFamily, string> = { IPv4: '127.0.0.0/8', IPv6: '::1/128' }

// The family of an address or CIDR text (IPv4 sloppy: leading zeros allowed), or undefined when it is neither.
export function familyOf(text: string): IPFamily | undefined {
  const addr = text.trim().split('/')[0] ?? ''
  if (parseIPv4(addr, 'sloppy') !== undefined) return 'IPv4'
  return isIPv6(addr) ? 'IPv6' : undefined
}

// The canonical text of an address of the given family (IPv4 sloppy as ParseIPSloppy, IPv6 as RFC 5952), else
// undefined (also for an address of the other family).
export function canonicalIPOf(text: string, family: IPFamily): string | undefined {
  if (family === 'IPv4') return canonicalIPv4(text)
  const groups = ipv6Groups(text.trim())
  // An IPv4-mapped address (::ffff:a.b.c.d) is IPv4 to Go's netutils.IsIPv6.
  if (!groups || (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)) return undefined
  return formatIPv6(groups)
}

// The canonical text of an address of either family, or undefined.
export function canonicalAnyIP(text: string): string | undefined {
  const family = familyOf(text)
  return family && canonicalIPOf(text, family)
}

/** A parsed CIDR of one family, host bits masked off. */
export interface FamilyCidr {
  family: IPFamily
  /** The masked network as a number (IPv4 and IPv6 alike). */
  base: bigint
  prefix: number
  /** The masked network's text ("10.0.0.0", "fd00::"). */
  network: string
}

// An address as a number of 32 (IPv4) or 128 (IPv6) bits.
function addressBits(text: string, family: IPFamily): bigint | undefined {
  if (family === 'IPv4') {
    const n = parseIPv4(text.trim(), 'sloppy')
    return n === undefined ? undefined : BigInt(n)
  }
  if (canonicalIPOf(text, 'IPv6') === undefined) return undefined
  return ipv6Groups(text.trim())!.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n)
}

// Prints a number of 32 or 128 bits as an address.
function formatBits(bits: bigint, family: IPFamily): string {
  const width = family === 'IPv4' ? 4 : 8
  const size = family === 'IPv4' ? 8n : 16n
  const mask = (1n << size) - 1n
  const parts = Array.from({ length: width }, (_, i) =>
    Number((bits >> (size * BigInt(width - 1 - i))) & mask),
  )
  return family === 'IPv4' ? parts.join('.') : formatIPv6(parts)
}

const WIDTH: Record<IPFamily, number> = { IPv4: 32, IPv6: 128 }

// Parses "ADDR/LEN" of either family (or only of `family` when given); undefined when it is not one.
export function parseFamilyCidr(text: string, family?: IPFamily): FamilyCidr | undefined {
  const [addr, len, ...rest] = text.trim().split('/')
  if (addr === undefined || len === undefined || rest.length > 0 || !/^\d{1,3}$/.test(len)) return undefined
  const f = familyOf(addr)
  if (!f || (family && f !== family)) return undefined
  const bits = addressBits(addr, f)
  const prefix = Number(len)
  if (bits === undefined || prefix > WIDTH[f]) return undefined
  const host = BigInt(WIDTH[f] - prefix)
  const base = (bits >> host) << host
  return { family: f, base, prefix, network: formatBits(base, f) }
}

// Prints a CIDR as kube-proxy does ("10.0.0.0/8", "fd00:10::/64").
export function formatFamilyCidr(c: FamilyCidr): string {
  return `${c.network}/${c.prefix}`
}

// True when the address (of the CIDR's family) lies inside the CIDR.
export function familyCidrContains(c: FamilyCidr, ip: string): boolean {
  const bits = addressBits(ip, c.family)
  if (bits === undefined || familyOf(ip) !== c.family) return false
  const host = BigInt(WIDTH[c.family] - c.prefix)
  return (bits >> host) << host === c.base
}

// Matches an address against `IP` or `CIDR` of either family (the tracer's -s/-d); throws when net is neither.
export function addressMatches(ip: string, net: string): boolean {
  const family = familyOf(net)
  if (!family) throw new Error(`not an IP address or CIDR: ${net}`)
  const c = parseFamilyCidr(net.includes('/') ? net : `${net}/${WIDTH[family]}`)
  if (!c) throw new Error(`not an IP address or CIDR: ${net}`)
  return familyCidrContains(c, ip)
}

// True for loopback addresses (127.0.0.0/8, ::1).
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || canonicalIPOf(ip, 'IPv6') === '::1'
}

// `ip:port`, or `[ip]:port` for IPv6 (Go's net.JoinHostPort).
export function joinHostPort(ip: string, port: number | string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}

// Splits `ip:port` / `[ip]:port` / `ip` / `[ip]`; undefined when the text is not one of those.
export function splitHostPort(text: string): { host: string; port: string | undefined } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(text)
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] }
  const colons = text.split(':').length - 1
  if (colons === 0) return { host: text, port: undefined }
  if (colons === 1) {
    const [host, port] = text.split(':') as [string, string]
    return { host, port }
  }
  // A bare IPv6 address without a port.
  return isIPv6(text) ? { host: text, port: undefined } : undefined
}

// The iptables binary prefix of a family and backend: iptables-nft, ip6tables-legacy, …
export function iptablesBinary(family: IPFamily, backend: string): string {
  return `${family === 'IPv4' ? 'iptables' : 'ip6tables'}-${backend}`
}
