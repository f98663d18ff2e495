// Builders of Service and EndpointSlice objects for the proxy's unit tests.
import type { V1EndpointSlice, V1Service, V1ServiceSpec, V1ServiceStatus } from '@kubernetes/client-node'

// A Service with the given spec (and optional status).
export function makeService(
  ns: string,
  name: string,
  spec: V1ServiceSpec,
  status?: V1ServiceStatus,
): V1Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec, status }
}

/** A compact endpoint description for makeSlice. */
export interface TestEndpoint {
  ip: string
  node?: string
  ready?: boolean
  serving?: boolean
  terminating?: boolean
}

// An EndpointSlice (IPv4 unless told) for service ns/svc with the given ports ({name, port, protocol}) and endpoints.
export function makeSlice(
  ns: string,
  svc: string,
  suffix: string,
  ports: { name?: string; port: number; protocol?: string }[],
  endpoints: TestEndpoint[],
  addressType: 'IPv4' | 'IPv6' = 'IPv4',
): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name: `${svc}-${suffix}`, labels: { 'kubernetes.io/service-name': svc } },
    addressType,
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      nodeName: e.node,
      conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
    })),
  }
}

// Removes the common leading indentation of a template literal and its first/last blank lines (golden dumps).
export function dedent(s: string): string {
  const lines = s
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n')
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length))
  return lines.map((l) => l.slice(indent)).join('\n') + '\n'
}

// The Services and EndpointSlices of upstream's TestOverallIPTablesRules, as that test writes them.
export function overallRulesObjects(): { services: V1Service[]; slices: V1EndpointSlice[] } {
  const p80 = [{ name: 'p80', port: 80 }]
  const services: V1Service[] = [
    makeService('ns1', 'svc1', {
      clusterIP: '172.30.0.41',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP' }],
    }),
    makeService(
      'ns2',
      'svc2',
      {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        clusterIP: '172.30.0.42',
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
        externalIPs: ['192.168.99.22'],
        healthCheckNodePort: 30000,
      },
      { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    ),
    makeService('ns3', 'svc3', {
      type: 'NodePort',
      clusterIP: '172.30.0.43',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3003 }],
    }),
    makeService('ns4', 'svc4', {
      type: 'NodePort',
      clusterIP: '172.30.0.44',
      externalIPs: ['192.168.99.33'],
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }],
    }),
    makeService(
      'ns5',
      'svc5',
      {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Cluster',
        clusterIP: '172.30.0.45',
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }],
        healthCheckNodePort: 30000,
        loadBalancerSourceRanges: [' 203.0.113.0/25'],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      },
      { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
    ),
    makeService('ns6', 'svc6', {
      type: 'ClusterIP',
      clusterIP: '172.30.0.46',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }],
    }),
  ]
  const slices: V1EndpointSlice[] = [
    makeSlice('ns1', 'svc1', '1', p80, [{ ip: '10.180.0.1' }]),
    makeSlice('ns2', 'svc2', '1', p80, [{ ip: '10.180.0.2' }]),
    makeSlice('ns3', 'svc3', '1', p80, [{ ip: '10.180.0.3' }]),
    makeSlice('ns4', 'svc4', '1', p80, [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', node: 'test-node' }]),
    makeSlice('ns5', 'svc5', '1', p80, [{ ip: '10.180.0.3' }]),
  ]
  return { services, slices }
}
