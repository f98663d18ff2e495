// Splits a name inside the cluster zone into CoreDNS's request shapes (parse.go parseRequest).

/** A name under the zone, by shape. Every field is lower case. */
export type RecordRequest =
  /** The apex, `svc.<zone>` or `pod.<zone>`: exists, holds nothing. */
  | { shape: 'empty' }
  /** `<ns>.svc|pod.<zone>`. */
  | { shape: 'namespace'; kind: 'svc' | 'pod'; namespace: string }
  /** `[<endpoint>.|_<port>._<proto>.]<service>.<ns>.svc|pod.<zone>`; for pods `service` is the dashed IP. */
  | {
      shape: 'object'
      kind: 'svc' | 'pod'
      namespace: string
      service: string
      endpoint?: string
      port?: string
      protocol?: string
    }

/** A name no Kubernetes record can have (last label not svc/pod, or too many labels): NXDOMAIN. */
export interface InvalidQuery {
  shape: 'invalid'
  reason: string
}

// Removes one leading underscore (`_http` → `http`; `http` stays).
function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label
}

// Parses `base`, the lower-case query name with the zone and trailing dot removed ('' for the apex).
export function parseQuery(base: string): RecordRequest | InvalidQuery {
  if (base === '' || base === 'svc' || base === 'pod') return { shape: 'empty' }
  const segs = base.split('.')
  const kind = segs.pop()!
  if (kind !== 'svc' && kind !== 'pod')
    return { shape: 'invalid', reason: `last label ${JSON.stringify(kind)} is neither svc nor pod` }
  const namespace = segs.pop()!
  const service = segs.pop()
  if (service === undefined) return { shape: 'namespace', kind, namespace }
  if (segs.length === 0) return { shape: 'object', kind, namespace, service }
  if (segs.length === 1) return { shape: 'object', kind, namespace, service, endpoint: segs[0] }
  if (segs.length === 2)
    return {
      shape: 'object',
      kind,
      namespace,
      service,
      port: stripUnderscore(segs[0]!),
      protocol: stripUnderscore(segs[1]!),
    }
  return { shape: 'invalid', reason: `${segs.length} labels left of the service: too long` }
}
