// Resource records as the answer function produces them, and their zone-file presentation form.

/** The response codes svcnet DNS sends (BADVERS is the extended rcode 16). */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED' | 'BADVERS'

/** Numeric value of each rcode. */
export const RCODE_VALUE: Record<Rcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
}

/** Fields every record has. Names are fully qualified, with the trailing dot. */
interface RrBase {
  name: string
  ttl: number
}

/** One resource record (class IN). */
export type Rr =
  | (RrBase & { type: 'A' | 'AAAA'; address: string })
  | (RrBase & { type: 'CNAME' | 'PTR' | 'NS'; target: string })
  | (RrBase & { type: 'SRV'; priority: number; weight: number; port: number; target: string })
  | (RrBase & { type: 'TXT'; text: string[] })
  | (RrBase & {
      type: 'SOA'
      mname: string
      rname: string
      serial: number
      refresh: number
      retry: number
      expire: number
      minimum: number
    })

/** Numeric RR types. */
export const TYPE_VALUE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  AXFR: 252,
  IXFR: 251,
  ANY: 255,
} as const

// Quotes a TXT string as zone files do (backslash before `"` and `\`).
function quote(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`
}

// The rdata of a record in presentation form.
export function rdataText(rr: Rr): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return rr.address
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return rr.target
    case 'SRV':
      return `${rr.priority} ${rr.weight} ${rr.port} ${rr.target}`
    case 'TXT':
      return rr.text.map(quote).join(' ')
    case 'SOA':
      return `${rr.mname} ${rr.rname} ${rr.serial} ${rr.refresh} ${rr.retry} ${rr.expire} ${rr.minimum}`
  }
}

// A record as a zone-file line: `owner ttl IN TYPE rdata`.
export function presentation(rr: Rr): string {
  return `${rr.name} ${rr.ttl} IN ${rr.type} ${rdataText(rr)}`
}
