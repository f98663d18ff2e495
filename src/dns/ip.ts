// IP names in DNS: the reverse (in-addr.arpa / ip6.arpa) names, and the dashed labels of pods and endpoints.
import { isIPv4 } from 'node:net'
import { canonicalIP, formatIPv6, ipv6Groups } from '../kube/ip.ts'

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
