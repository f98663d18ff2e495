// Which IP families the daemon runs a proxier for. Upstream runs both whenever the platform supports both (iptables
// and ip6tables work, /proc/net/if_inet6 exists), whatever the node's addresses; svcnet runs a family only when the
// node uses it too (--node-ip-override, --cluster-cidr, or a global address on an interface), so an IPv4-only node
// does not pay for an empty ip6tables proxier. The primary family is the first --node-ip-override's, else IPv4 when
// the node has it (upstream: the Node's first address; 127.0.0.1 without one).
import { canonicalAnyIP, familyOf, IP_FAMILIES, parseFamilyCidr, type IPFamily } from './ip-family.ts'

/** What the decision looks at. */
export interface FamilyEvidence {
  /** --node-ip-override values. */
  nodeIPOverride: readonly string[]
  /** --cluster-cidr entries. */
  clusterCIDRs: readonly string[]
  /** Every address on this network namespace's interfaces. */
  interfaceAddresses: readonly string[]
  /** Whether the platform can program each family (its iptables works; IPv6 also needs /proc/net/if_inet6). */
  supported: (family: IPFamily) => boolean
}

/** The families to run, primary first, and why. */
export interface FamilyDecision {
  families: IPFamily[]
  reason: string
}

// True for an address other nodes can reach: not loopback, not link-local (169.254/16, fe80::/10).
export function globalAddress(ip: string): boolean {
  const canonical = canonicalAnyIP(ip)
  if (!canonical) return false
  if (canonical.startsWith('127.') || canonical.startsWith('169.254.') || canonical === '::1') return false
  return !/^fe[89ab][0-9a-f]:/i.test(canonical)
}

// Decides the families (throws when the primary family cannot be programmed, as upstream does).
export function decideFamilies(e: FamilyEvidence): FamilyDecision {
  const used = new Map<IPFamily, string>()
  const note = (family: IPFamily | undefined, why: string) => {
    if (family && !used.has(family)) used.set(family, why)
  }
  for (const ip of e.nodeIPOverride) note(familyOf(ip), `--node-ip-override ${ip}`)
  for (const c of e.clusterCIDRs) note(parseFamilyCidr(c)?.family, `--cluster-cidr ${c}`)
  for (const ip of e.interfaceAddresses) if (globalAddress(ip)) note(familyOf(ip), `interface address ${ip}`)
  const first = e.nodeIPOverride[0]
  const primary: IPFamily =
    (first && familyOf(first)) || (used.has('IPv6') && !used.has('IPv4') ? 'IPv6' : 'IPv4')
  if (!e.supported(primary)) throw new Error(`no support for the primary IP family ${primary} on this node`)
  const families: IPFamily[] = [primary]
  const reasons = [`${primary} (primary${used.has(primary) ? `: ${used.get(primary)}` : ''})`]
  for (const f of IP_FAMILIES) {
    if (f === primary || !used.has(f)) continue
    if (e.supported(f)) {
      families.push(f)
      reasons.push(`${f} (${used.get(f)})`)
    } else reasons.push(`not ${f}: the node uses it (${used.get(f)}) but it cannot be programmed here`)
  }
  return { families, reason: reasons.join(', ') }
}
