// Builders of Kubernetes objects for DNS tests, and the cluster most answer tests run against.
import type { V1EndpointSlice, V1Namespace, V1Pod, V1Service } from '@kubernetes/client-node'
import { ClusterIndex } from './cluster-index.ts'

/** A port as tests write it: `http:80/TCP`, `:8080` (unnamed), `dns:53/UDP`. */
type PortText = string

// Parses `name:port[/PROTO]`.
function port(text: PortText): { name?: string; port: number; protocol: string } {
  const m = /^([^:]*):(\d+)(?:\/(\w+))?$/.exec(text)
  if (!m) throw new TypeError(`bad port ${text}`)
  return { ...(m[1] ? { name: m[1] } : {}), port: Number(m[2]), protocol: m[3] ?? 'TCP' }
}

// A Namespace.
export function ns(name: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }
}

// A Service: `clusterIPs` ['None'] for headless; `externalName` makes it an ExternalName service.
export function svc(
  nsName: string,
  name: string,
  opts: { clusterIPs?: string[]; ports?: PortText[]; externalName?: string },
): V1Service {
  const ports = (opts.ports ?? []).map(port)
  if (opts.externalName)
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: nsName },
      spec: { type: 'ExternalName', externalName: opts.externalName, ports },
    }
  const ips = opts.clusterIPs ?? []
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: nsName },
    spec: { type: 'ClusterIP', clusterIP: ips[0], clusterIPs: ips, ports },
  }
}

/** An endpoint as tests write it. */
export interface EndpointSpec {
  ip: string
  hostname?: string
  ready?: boolean | null
  pod?: string
}

// An EndpointSlice of a Service (labelled kubernetes.io/service-name).
export function slice(
  nsName: string,
  name: string,
  service: string,
  endpoints: EndpointSpec[],
  ports: PortText[] = [],
): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: nsName, labels: { 'kubernetes.io/service-name': service } },
    addressType: endpoints[0]?.ip.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      ...(e.ready === null ? {} : { conditions: { ready: e.ready ?? true } }),
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', name: e.pod, namespace: nsName } } : {}),
    })),
    ports: ports.map(port),
  }
}

// A Pod with a status.podIP.
export function pod(nsName: string, name: string, ip: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: nsName },
    status: { podIP: ip, podIPs: [{ ip }] },
  }
}

/** The SOA serial every test index reports. */
export const TEST_SERIAL = 1700000000

// The test cluster: ClusterIP (v4, v6, dual-stack, unnamed port), headless, ExternalName, kube-dns, a pod.
export function testObjects(): {
  kind: 'services' | 'endpointslices' | 'pods' | 'namespaces'
  obj: object
}[] {
  const s = (obj: object) => ({ kind: 'services' as const, obj })
  const e = (obj: object) => ({ kind: 'endpointslices' as const, obj })
  return [
    ...['default', 'kube-system', 'testns'].map((n) => ({ kind: 'namespaces' as const, obj: ns(n) })),
    s(svc('default', 'kubernetes', { clusterIPs: ['10.96.0.1'], ports: ['https:443'] })),
    s(
      svc('kube-system', 'kube-dns', {
        clusterIPs: ['10.96.0.10'],
        ports: ['dns:53/UDP', 'dns-tcp:53', 'metrics:9153'],
      }),
    ),
    e(
      slice(
        'kube-system',
        'kube-dns-x',
        'kube-dns',
        [{ ip: '10.244.0.5' }],
        ['dns:53/UDP', 'dns-tcp:53', 'metrics:9153'],
      ),
    ),
    s(svc('testns', 'svc1', { clusterIPs: ['10.0.0.1'], ports: ['http:80'] })),
    e(
      slice(
        'testns',
        'svc1-a',
        'svc1',
        [
          { ip: '172.0.0.1', hostname: 'ep1a' },
          { ip: '172.0.0.2', pod: 'svc1-pod-2' },
        ],
        ['http:8080'],
      ),
    ),
    s(svc('testns', 'svc6', { clusterIPs: ['1234:abcd::1'], ports: ['http:80'] })),
    s(svc('testns', 'dual', { clusterIPs: ['10.0.0.3', 'fd00::3'], ports: ['http:80'] })),
    s(svc('testns', 'svc-unnamed', { clusterIPs: ['10.0.0.5'], ports: [':8080'] })),
    s(svc('testns', 'no-ready', { clusterIPs: ['10.0.0.7'], ports: ['http:80'] })),
    e(slice('testns', 'no-ready-a', 'no-ready', [{ ip: '172.0.0.70', ready: false }], ['http:80'])),
    s(svc('testns', 'hdls1', { clusterIPs: ['None'], ports: ['http:80'] })),
    e(
      slice(
        'testns',
        'hdls1-a',
        'hdls1',
        [
          { ip: '172.0.0.2' },
          { ip: '172.0.0.3', hostname: 'ep-b' },
          { ip: '172.0.0.4', ready: false },
          { ip: '172.0.0.5', hostname: 'dup-name' },
          { ip: '172.0.0.6', hostname: 'dup-name', ready: null },
        ],
        ['http:8080'],
      ),
    ),
    e(slice('testns', 'hdls1-b', 'hdls1', [{ ip: '5678:abcd::1' }, { ip: '5678:abcd::2' }], ['http:8080'])),
    e(slice('testns', 'hdls1-c', 'hdls1', [{ ip: '172.0.0.2' }], ['http:8080'])),
    s(svc('testns', 'hdls-empty', { clusterIPs: ['None'], ports: ['http:80'] })),
    e(slice('testns', 'hdls-empty-a', 'hdls-empty', [{ ip: '172.0.0.9', ready: false }], ['http:80'])),
    s(svc('testns', 'hdls-noports', { clusterIPs: ['None'] })),
    e(slice('testns', 'hdls-noports-a', 'hdls-noports', [{ ip: '172.0.0.10' }])),
    s(svc('testns', 'external', { externalName: 'ext.interwebs.test' })),
    s(svc('testns', 'external-to-service', { externalName: 'svc1.testns.svc.cluster.local' })),
    s(svc('testns', 'external-ip', { externalName: '1.2.3.4' })),
    s(svc('testns', 'loop', { externalName: 'loop.testns.svc.cluster.local' })),
    { kind: 'pods', obj: pod('testns', 'pod1', '10.244.1.7') },
  ]
}

// A synced index of the test cluster with a fixed serial.
export function testIndex(opts: { synced?: boolean } = {}): ClusterIndex {
  const index = new ClusterIndex({ now: () => TEST_SERIAL * 1000 })
  for (const { kind, obj } of testObjects()) index.upsert(kind, obj)
  if (opts.synced !== false)
    for (const k of ['services', 'endpointslices', 'pods', 'namespaces'] as const) index.markSynced(k)
  return index
}
