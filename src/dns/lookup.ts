// Turns a parsed request into the backend entries CoreDNS's findServices/findPods return (msg.Service), or "no such name".
import { isIP } from 'node:net'
import type { AnswerConfig } from './config.ts'
import type { DnsEndpoint, DnsIndex, DnsPort } from './dns-index.ts'
import { dashedIP, ipFromPodLabel } from './ip.ts'
import type { InvalidQuery, RecordRequest } from './parse-query.ts'

/** One backend entry: an address (with the port and the name it stands under) or a CNAME target. */
export type Entry =
  { kind: 'address'; ip: string; port: number; target: string } | { kind: 'cname'; target: string }

/** `undefined` means the name does not exist (NXDOMAIN); an empty list means it exists with nothing (NODATA). */
export type Entries = Entry[] | undefined

/** Where lookups run: the index, the config and the zone as the client wrote it (case kept). */
export interface LookupContext {
  index: DnsIndex
  cfg: AnswerConfig
  /** The zone in the query's case, without the trailing dot. */
  zoneInQuery: string
}

// The name CoreDNS gives an endpoint: its hostname, else (with endpoint_pod_names) its pod name, else its dashed IP.
export function endpointName(ep: DnsEndpoint, endpointPodNames: boolean): string {
  if (ep.hostname) return ep.hostname
  if (endpointPodNames && ep.podName && ep.podName.length < 64) return ep.podName
  return dashedIP(ep.ip)
}

// Whether a port matches the requested port name and protocol (empty request parts match anything).
function portMatches(p: DnsPort, port?: string, protocol?: string): boolean {
  return (!port || port === p.name.toLowerCase()) && (!protocol || protocol === p.protocol.toLowerCase())
}

// Entries of a Service name, endpoint name or port name (kubernetes.go findServices).
function findServices(r: Extract<RecordRequest, { shape: 'object' }>, ctx: LookupContext): Entries {
  const svc = ctx.index.service(r.namespace, r.service)
  if (!svc) return undefined
  const base = `${svc.name}.${svc.namespace}.svc.${ctx.zoneInQuery}.`
  if (svc.type === 'ExternalName') {
    const ext = svc.externalName?.replace(/\.$/, '')
    if (r.endpoint !== undefined || r.port !== undefined || !ext || isIP(ext)) return undefined
    return [{ kind: 'cname', target: `${ext}.` }]
  }
  const out: Entry[] = []
  if (svc.headless || r.endpoint !== undefined) {
    for (const ep of ctx.index.endpoints(r.namespace, r.service)) {
      const name = endpointName(ep, ctx.cfg.endpointPodNames)
      if (r.endpoint !== undefined && r.endpoint !== name.toLowerCase()) continue
      for (const p of ep.ports) {
        if (!portMatches(p, r.port, r.protocol)) continue
        out.push({ kind: 'address', ip: ep.ip, port: p.port, target: `${name}.${base}` })
      }
    }
    return out.length ? out : undefined
  }
  let matched = false
  for (const p of svc.ports) {
    if (!portMatches(p, r.port, r.protocol)) continue
    matched = true
    for (const ip of svc.clusterIPs) out.push({ kind: 'address', ip, port: p.port, target: base })
  }
  return matched ? out : undefined
}

// Entries of `<dashed-ip>.<ns>.pod.<zone>` (kubernetes.go findPods): labels left of the pod label are ignored, as there.
function findPods(r: Extract<RecordRequest, { shape: 'object' }>, ctx: LookupContext): Entries {
  const ip = ipFromPodLabel(r.service)
  if (!ip) return undefined
  const target = `${r.service}.${r.namespace}.pod.${ctx.zoneInQuery}.`
  if (ctx.cfg.pods === 'verified' && !ctx.index.podNamespacesByIP(ip).includes(r.namespace)) return undefined
  return [{ kind: 'address', ip, port: -1, target }]
}

// The entries of a parsed request (kubernetes.go Records).
export function lookup(r: RecordRequest | InvalidQuery, ctx: LookupContext): Entries {
  if (r.shape === 'empty') return []
  if (r.shape === 'invalid') return undefined
  if (r.kind === 'pod' && ctx.cfg.pods === 'disabled') return undefined
  if (!ctx.index.namespaceExists(r.namespace)) return undefined
  if (r.shape === 'namespace') return []
  return r.kind === 'pod' ? findPods(r, ctx) : findServices(r, ctx)
}
