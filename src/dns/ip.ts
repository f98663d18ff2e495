// IP helpers for DNS: canonical text, the reverse (in-addr.arpa / ip6.arpa) names, and the dashed labels of pods and endpoints.
import { isIPv4, isIPv6 } from 'node:net'

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

// The address a reverse name stands for ("1.0.96.10.in-addr.arpa" → "10.96.0.1"), or undefined when incomplete or invalid.
export function ipFromReverseName(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '')
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.')
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255))
      return undefined
    return parts.reverse().join('.')
  }
  if (n.endsWith('.ip6.arpa')) {
    const nibbles = n.slice(0, -'.ip6.arpa'.length).split('.')
    if (nibbles.length !== 32 || !nibbles.every((x) => /^[0-9a-f]$/.test(x))) return undefined
    const hex = nibbles.reverse().join('')
    return formatIPv6(Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16)))
  }
  return undefined
}

// The reverse name of an IP, with a trailing dot ("10.96.0.1" → "1.0.96.10.in-addr.arpa.").
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`
  const g = ipv6Groups(ip)
  if (!g) throw new TypeError(`not an IP address: ${JSON.stringify(ip)}`)
  const hex = g.map((x) => x.toString(16).padStart(4, '0')).join('')
  return `${[...hex].reverse().join('.')}.ip6.arpa.`
}

// An endpoint's dashed-IP name as CoreDNS makes it: `172-0-0-2`, `5678-abcd--1`, a trailing `-` gets a `0`.
export function dashedIP(ip: string): string {
  const d = ip.replace(/[.:]/g, '-')
  return d.endsWith('-') ? `${d}0` : d
}

// The IP a pod label stands for (`1-2-3-4` → `1.2.3.4`, `fd00-10-244--5` → `fd00:10:244::5`), or undefined.
export function ipFromPodLabel(label: string): string | undefined {
  const dashes = label.split('-').length - 1
  const text = dashes === 3 && !label.includes('--') ? label.replace(/-/g, '.') : label.replace(/-/g, ':')
  return canonicalIP(text)
}
