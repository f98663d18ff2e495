// The zone's own records: the SOA (answers at the apex, authority of negative answers), the apex NS and its glue.
import { isIPv4 } from 'node:net'
import type { AnswerConfig } from './config.ts'
import type { DnsIndex } from './dns-index.ts'
import type { Rr } from './records.ts'

// The SOA of a zone (`zone` in the query's case, no trailing dot), as CoreDNS's plugin.SOA makes it.
export function soaRecord(zone: string, cfg: AnswerConfig, serial: number): Rr {
  return {
    name: `${zone}.`,
    ttl: Math.min(cfg.ttl, 300),
    type: 'SOA',
    mname: `ns.dns.${zone}.`,
    rname: `hostmaster.${zone}.`,
    serial,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: cfg.ttl,
  }
}

/** The name servers of the zone and their addresses. */
export interface NameServers {
  /** FQDNs, e.g. `kube-dns.kube-system.svc.cluster.local.`. */
  names: string[]
  /** Glue records (A/AAAA) for those names. */
  glue: Rr[]
}

// Finds the Services whose endpoints hold one of this server's IPs (ns.go nsAddrs); else `ns.dns.<zone>.` with those IPs.
export function nameServers(index: DnsIndex, cfg: AnswerConfig, zone: string): NameServers {
  const names: string[] = []
  const glue: Rr[] = []
  const seen = new Set<string>()
  const addr = (name: string, ip: string) => {
    if (seen.has(`${name} ${ip}`)) return
    seen.add(`${name} ${ip}`)
    glue.push({ name, ttl: cfg.ttl, type: isIPv4(ip) ? 'A' : 'AAAA', address: ip })
  }
  for (const ip of cfg.selfIPs) {
    for (const owner of index.endpointsByIP(ip)) {
      const svc = index.service(owner.namespace, owner.service)
      if (!svc) continue
      const name = `${svc.name}.${svc.namespace}.svc.${zone}.`
      if (!names.includes(name)) names.push(name)
      if (svc.headless) addr(name, ip)
      for (const cip of svc.clusterIPs) addr(name, cip)
    }
  }
  if (names.length === 0) {
    const name = `ns.dns.${zone}.`
    names.push(name)
    for (const ip of cfg.selfIPs) addr(name, ip)
  }
  return { names, glue }
}
