// The benchmark's cluster, as Kubernetes manifests for svcnet DNS and as a dnsmasq config with the same records,
// plus the query mix (cluster A, SRV, NXDOMAIN search-path misses). Pure and deterministic.
import { seededRandom } from '../../src/random/seeded-random.ts'

/** The generated cluster's shape. */
export interface BenchCluster {
  /** Namespaces, Services, EndpointSlices. */
  objects: { kind: string; metadata: { name: string; namespace?: string } }[]
  /** The same objects as multi-document YAML (one JSON document each). */
  manifests: string
  /** dnsmasq configuration lines for the same A and SRV records (no port or listen lines). */
  dnsmasq: string
  /** dnsperf data file: `name type` lines. */
  queries: string
}

// The ClusterIP of service i (10.96.0.0/16 from .1.0 on).
const clusterIP = (i: number) => `10.96.${1 + (i >> 8)}.${i & 255}`
// The pod IPs of service i's two endpoints.
const podIP = (i: number, k: number) => `10.244.${(i >> 7) & 255}.${((i & 127) << 1) + k}`

// Builds `services` ClusterIP Services (port http 80/TCP, two ready endpoints each) over 10 namespaces.
export function benchCluster(services: number, queryLines = 10_000, seed = 1): BenchCluster {
  const docs: BenchCluster['objects'] = []
  const dm: string[] = []
  const names: { svc: string; ns: string }[] = []
  const namespaces = Math.min(10, Math.max(1, services))
  for (let n = 0; n < namespaces; n++)
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${n}` } } as never)
  for (let i = 0; i < services; i++) {
    const ns = `ns${i % namespaces}`
    const svc = `svc${i}`
    names.push({ svc, ns })
    const port = { name: 'http', port: 80, protocol: 'TCP' }
    docs.push(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc, namespace: ns },
        spec: { clusterIP: clusterIP(i), clusterIPs: [clusterIP(i)], ports: [port] },
      } as never,
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${svc}-a`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
        addressType: 'IPv4',
        ports: [{ ...port, port: 8080 }],
        endpoints: [0, 1].map((k) => ({ addresses: [podIP(i, k)], conditions: { ready: true } })),
      } as never,
    )
    const fqdn = `${svc}.${ns}.svc.cluster.local`
    dm.push(`host-record=${fqdn},${clusterIP(i)}`, `srv-host=_http._tcp.${fqdn},${fqdn},80,0,100`)
  }
  const rand = seededRandom(seed)
  const lines: string[] = []
  for (let q = 0; q < queryLines; q++) {
    const { svc, ns } = names[Math.floor(rand() * names.length)]!
    const r = rand()
    if (r < 0.5) lines.push(`${svc}.${ns}.svc.cluster.local A`)
    else if (r < 0.7) lines.push(`_http._tcp.${svc}.${ns}.svc.cluster.local SRV`)
    else {
      // Search-path candidates that miss: `svc.ns` and `apiN.example.com` looked up from a pod in `from`.
      const from = `ns${Math.floor(rand() * namespaces)}`
      const m = rand()
      if (m < 0.5) lines.push(`${svc}.${ns}.${from}.svc.cluster.local A`)
      else if (m < 0.75) lines.push(`api${q % 97}.example.com.${from}.svc.cluster.local A`)
      else lines.push(`api${q % 97}.example.com.cluster.local AAAA`)
    }
  }
  return {
    objects: docs,
    manifests: `${docs.map((d) => JSON.stringify(d)).join('\n---\n')}\n`,
    dnsmasq: `${dm.join('\n')}\n`,
    queries: `${lines.join('\n')}\n`,
  }
}
