// Reads a response back into presentation strings (for `dns query`, tests and the fuzz test), using dns-packet.
import dnsPacket from 'dns-packet'

/** A response as `dns query --json` prints it. */
export interface DescribedResponse {
  id: number
  rcode: string
  aa: boolean
  tc: boolean
  rd: boolean
  ra: boolean
  question: string[]
  answer: string[]
  authority: string[]
  additional: string[]
  /** The OPT pseudo-record, when present. */
  edns?: { udpSize: number; version: number; extendedRcode: number }
}

// An FQDN with its trailing dot.
const fqdn = (n: string) => (n === '.' || n === '' ? '.' : `${n}.`)

// The presentation form of a decoded record.
export function recordText(r: dnsPacket.Answer): string {
  const d = (r as { data?: unknown }).data
  let rdata: string
  switch (r.type) {
    case 'A':
    case 'AAAA':
      rdata = String(d)
      break
    case 'CNAME':
    case 'PTR':
    case 'NS':
      rdata = fqdn(String(d))
      break
    case 'SRV': {
      const s = d as dnsPacket.SrvData
      rdata = `${s.priority ?? 0} ${s.weight ?? 0} ${s.port} ${fqdn(s.target)}`
      break
    }
    case 'TXT':
      rdata = (Array.isArray(d) ? d : [d])
        .map(
          (x) =>
            `"${Buffer.from(x as Buffer)
              .toString('utf8')
              .replace(/["\\]/g, (c) => `\\${c}`)}"`,
        )
        .join(' ')
      break
    case 'SOA': {
      const s = d as dnsPacket.SoaData
      rdata = `${fqdn(s.mname)} ${fqdn(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`
      break
    }
    default: {
      const b = Buffer.isBuffer(d) ? d : Buffer.alloc(0)
      rdata = `\\# ${b.length} ${b.toString('hex')}`
    }
  }
  const cls = (r as { class?: string }).class ?? 'IN'
  return `${fqdn(r.name)} ${(r as { ttl?: number }).ttl ?? 0} ${cls} ${r.type} ${rdata}`
}

// Decodes a response into presentation strings; throws when it is not a valid message.
export function describeResponse(buf: Buffer): DescribedResponse {
  const p = dnsPacket.decode(buf)
  const opt = (p.additionals ?? []).find((r) => r.type === 'OPT') as dnsPacket.OptAnswer | undefined
  const ext = opt?.extendedRcode ?? 0
  const rcodeNum = (buf.readUInt16BE(2) & 0xf) | (ext << 4)
  const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED']
  return {
    id: p.id ?? 0,
    rcode: rcodeNum === 16 ? 'BADVERS' : (RCODES[rcodeNum] ?? `RCODE${rcodeNum}`),
    aa: p.flag_aa === true,
    tc: p.flag_tc === true,
    rd: p.flag_rd === true,
    ra: p.flag_ra === true,
    question: (p.questions ?? []).map((q) => `${fqdn(q.name)} ${q.class ?? 'IN'} ${q.type}`),
    answer: (p.answers ?? []).map(recordText),
    authority: (p.authorities ?? []).map(recordText),
    additional: (p.additionals ?? []).filter((r) => r.type !== 'OPT').map(recordText),
    ...(opt
      ? { edns: { udpSize: opt.udpPayloadSize, version: opt.ednsVersion ?? 0, extendedRcode: ext } }
      : {}),
  }
}
