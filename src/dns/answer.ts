// The pure answer function: one question and the cluster index in, the response (rcode, AA, sections) out.
import type { AnswerConfig } from './config.ts'
import type { DnsIndex } from './dns-index.ts'
import { ipFromReverseName } from './ip.ts'
import { lookup, endpointName, type Entries, type Entry, type LookupContext } from './lookup.ts'
import { nameServers, soaRecord } from './apex.ts'
import { parseQuery } from './parse-query.ts'
import type { Rcode, Rr } from './records.ts'

/** A question: the name exactly as the client sent it (trailing dot optional) and the type's mnemonic. */
export interface Question {
  name: string
  /** `A`, `SRV`, … (unknown types as anything else, e.g. `UNKNOWN_65` or `TYPE65`). */
  type: string
}

/** The response to one question. */
export interface DnsAnswer {
  rcode: Rcode
  aa: boolean
  answer: Rr[]
  authority: Rr[]
  additional: Rr[]
  /** The name is outside the zone (or an unanswered reverse name with fallthrough): ask the upstreams. */
  forward?: boolean
  /** An ExternalName outside the zone: look `name` up upstream and append its answer after the CNAME. */
  chase?: { name: string; type: string }
}

/** The dns-version TXT (schema of the Kubernetes DNS specification). */
export const SCHEMA_VERSION = '1.1.0'

const REVERSE_ZONES = ['in-addr.arpa', 'ip6.arpa']
const MAX_CNAME_LINKS = 8

// The zone a lower-case name falls in (the cluster zone or a reverse zone), or undefined.
export function matchZone(lower: string, zone: string): string | undefined {
  for (const z of [zone, ...REVERSE_ZONES]) if (lower === z || lower.endsWith(`.${z}`)) return z
  return undefined
}

const FORWARD: DnsAnswer = {
  rcode: 'NOERROR',
  aa: false,
  answer: [],
  authority: [],
  additional: [],
  forward: true,
}

/** What one answer computation carries around. */
interface Ctx extends LookupContext {
  owner: string
  qtype: string
  zone: string
  isReverse: boolean
}

// A negative answer (NXDOMAIN or NODATA) with the SOA in authority; NXDOMAIN before sync is SERVFAIL.
function negative(ctx: Ctx, nx: boolean): DnsAnswer {
  if (nx && ctx.isReverse && ctx.cfg.reverseFallthrough) return FORWARD
  const rcode: Rcode = !nx ? 'NOERROR' : ctx.index.hasSynced() ? 'NXDOMAIN' : 'SERVFAIL'
  const soa = soaRecord(ctx.zoneInQuery, ctx.cfg, ctx.index.serial())
  return { rcode, aa: true, answer: [], authority: [soa], additional: [] }
}

// A positive answer, or NODATA when there are no records.
function positive(ctx: Ctx, answer: Rr[], additional: Rr[] = []): DnsAnswer {
  if (answer.length === 0) return negative(ctx, false)
  return { rcode: 'NOERROR', aa: true, answer, authority: [], additional }
}

// The entries of a name under the cluster zone (`lower` without the trailing dot).
function entriesOf(lower: string, ctx: Ctx): Entries {
  const base = lower === ctx.zone ? '' : lower.slice(0, lower.length - ctx.zone.length - 1)
  return lookup(parseQuery(base), ctx)
}

// Whether an FQDN lies in the cluster zone.
function inZone(fqdn: string, ctx: Ctx): boolean {
  const l = fqdn.toLowerCase()
  return l === `${ctx.zone}.` || l.endsWith(`.${ctx.zone}.`)
}

// A/AAAA records of entries; CNAMEs are chased in the zone, or handed to the server (chase) outside it.
function addressRecords(
  ctx: Ctx,
  owner: string,
  entries: Entry[],
  family: 'A' | 'AAAA',
  links: number,
): { records: Rr[]; chase?: DnsAnswer['chase'] } {
  const records: Rr[] = []
  const seen = new Set<string>()
  let chase: DnsAnswer['chase']
  for (const e of entries) {
    if (e.kind === 'address') {
      if ((family === 'A') !== !e.ip.includes(':') || seen.has(e.ip)) continue
      seen.add(e.ip)
      records.push({ name: owner, ttl: ctx.cfg.ttl, type: family, address: e.ip })
      continue
    }
    const target = e.target.toLowerCase()
    if (target === owner.toLowerCase() || links >= MAX_CNAME_LINKS) continue
    const cname: Rr = { name: owner, ttl: ctx.cfg.ttl, type: 'CNAME', target: e.target }
    if (!inZone(target, ctx)) {
      records.push(cname)
      chase = { name: e.target, type: ctx.qtype }
      continue
    }
    const next = entriesOf(target.slice(0, -1), ctx)
    const more = next ? addressRecords(ctx, e.target, next, family, links + 1) : { records: [] }
    if (more.records.length > 0) records.push(cname, ...more.records)
    chase ??= more.chase
  }
  return { records, chase }
}

// SRV answer with A/AAAA of the targets in additional (backend_lookup.go SRV): priority 0, weight floor(100/N).
function srvAnswer(ctx: Ctx, entries: Entry[]): DnsAnswer {
  const addresses = entries.filter((e) => e.kind === 'address')
  const weight = Math.max(1, Math.floor(100 / Math.max(1, addresses.length)))
  const answer: Rr[] = []
  const additional: Rr[] = []
  const seen = new Set<string>()
  for (const e of addresses) {
    if (e.port === -1) continue
    if (!seen.has(`srv ${e.target} ${e.port}`)) {
      seen.add(`srv ${e.target} ${e.port}`)
      answer.push({
        name: ctx.owner,
        ttl: ctx.cfg.ttl,
        type: 'SRV',
        priority: 0,
        weight,
        port: e.port,
        target: e.target,
      })
    }
    if (!seen.has(`addr ${e.target} ${e.ip}`)) {
      seen.add(`addr ${e.target} ${e.ip}`)
      const type = e.ip.includes(':') ? 'AAAA' : 'A'
      additional.push({ name: e.target, ttl: ctx.cfg.ttl, type, address: e.ip })
    }
  }
  return positive(ctx, answer, additional)
}

// PTR for an IP: the first Service with that ClusterIP, else every endpoint holding it (reverse.go).
function ptrAnswer(ctx: Ctx, ip: string): DnsAnswer {
  const primary = ctx.cfg.zone
  const svc = ctx.index.servicesByClusterIP(ip)[0]
  const targets = svc
    ? [`${svc.name}.${svc.namespace}.svc.${primary}.`]
    : [
        ...new Set(
          ctx.index
            .endpointsByIP(ip)
            .map(
              (o) =>
                `${endpointName(o.endpoint, ctx.cfg.endpointPodNames)}.${o.service}.${o.namespace}.svc.${primary}.`,
            ),
        ),
      ]
  if (targets.length === 0) return negative(ctx, true)
  return positive(
    ctx,
    targets.map((target) => ({ name: ctx.owner, ttl: ctx.cfg.ttl, type: 'PTR', target })),
  )
}

// The apex NS records with their glue in additional.
function nsAnswer(ctx: Ctx): DnsAnswer {
  const ns = nameServers(ctx.index, ctx.cfg, ctx.zoneInQuery)
  const answer: Rr[] = ns.names.map((target) => ({ name: ctx.owner, ttl: ctx.cfg.ttl, type: 'NS', target }))
  return positive(ctx, answer, ns.glue)
}

// Answers a question from the index (CoreDNS's kubernetes handler.go ServeDNS, under kind's Corefile).
export function answer(q: Question, index: DnsIndex, cfg: AnswerConfig): DnsAnswer {
  const qname = q.name.endsWith('.') ? q.name.slice(0, -1) : q.name
  const lower = qname.toLowerCase()
  const zone = matchZone(lower, cfg.zone)
  if (!zone) return FORWARD
  const qtype = q.type.toUpperCase()
  if (qtype === 'AXFR' || qtype === 'IXFR')
    return { rcode: 'REFUSED', aa: false, answer: [], authority: [], additional: [] }
  const ctx: Ctx = {
    index,
    cfg,
    zone,
    zoneInQuery: qname.slice(qname.length - zone.length),
    owner: `${qname}.`,
    qtype,
    isReverse: zone !== cfg.zone,
  }
  const apex = lower === zone
  if (qtype === 'SOA') {
    if (apex) return positive(ctx, [soaRecord(ctx.zoneInQuery, cfg, index.serial())])
    return negative(ctx, false)
  }
  if (qtype === 'NS' && apex) return nsAnswer(ctx)
  if (ctx.isReverse) {
    const ip = qtype === 'PTR' ? ipFromReverseName(lower) : undefined
    return ip ? ptrAnswer(ctx, ip) : negative(ctx, true)
  }
  if (qtype === 'TXT' && lower === `dns-version.${zone}`)
    return positive(ctx, [{ name: ctx.owner, ttl: 28800, type: 'TXT', text: [SCHEMA_VERSION] }])
  if (lower === `ns.dns.${zone}`) {
    const glue = nameServers(index, cfg, ctx.zoneInQuery).glue.filter((r) => r.type === qtype)
    return positive(
      ctx,
      glue.map((r) => ({ ...r, name: ctx.owner })),
    )
  }
  const entries = entriesOf(lower, ctx)
  if (!entries) return negative(ctx, true)
  switch (qtype) {
    case 'A':
    case 'AAAA': {
      const r = addressRecords(ctx, ctx.owner, entries, qtype, 0)
      return { ...positive(ctx, r.records), ...(r.chase && r.records.length ? { chase: r.chase } : {}) }
    }
    case 'TXT': {
      // Only an ExternalName pointing outside the zone has TXT to offer: its CNAME, then the upstream's TXT.
      const ext = entries.find((e) => e.kind === 'cname' && !inZone(e.target, ctx))
      if (!ext) return negative(ctx, false)
      const cname: Rr = { name: ctx.owner, ttl: cfg.ttl, type: 'CNAME', target: ext.target }
      return { ...positive(ctx, [cname]), chase: { name: ext.target, type: qtype } }
    }
    case 'SRV':
      return srvAnswer(ctx, entries)
    case 'CNAME':
      return positive(
        ctx,
        entries.flatMap((e) =>
          e.kind === 'cname'
            ? [{ name: ctx.owner, ttl: cfg.ttl, type: 'CNAME' as const, target: e.target }]
            : [],
        ),
      )
    default:
      // PTR on a forward name, MX, NS below the apex, ANY and every other type: the name exists, so NODATA.
      return negative(ctx, false)
  }
}
