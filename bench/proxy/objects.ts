// Synthetic Services and EndpointSlices for the proxy benchmarks: N ClusterIP+NodePort Services × 5 endpoints (pure).
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node'

/** Endpoints per Service. */
export const ENDPOINTS_PER_SERVICE = 5

// The i-th address of a /16 (i < 65536).
function addr(prefix: string, i: number): string {
  return `${prefix}.${Math.floor(i / 256)}.${i % 256}`
}

// Service i: cluster IP from 10.96.0.0/16, node port 30000 + i % 2768 for the first 2768.
export function benchService(i: number): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: `ns${i % 50}`, name: `svc-${i}` },
    spec: {
      type: i < 2768 ? 'NodePort' : 'ClusterIP',
      clusterIP: addr('10.96', i + 10),
      ports: [{ name: 'http', port: 80, protocol: 'TCP', ...(i < 2768 ? { nodePort: 30000 + i } : {}) }],
    },
  }
}

// The slice of Service i: 5 endpoints from 10.244.0.0/16 (wrapping into 10.245 past 65,536), on nodes a and b.
export function benchSlice(i: number, generation = 0): V1EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: `ns${i % 50}`,
      name: `svc-${i}-abcde`,
      labels: { 'kubernetes.io/service-name': `svc-${i}` },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: Array.from({ length: ENDPOINTS_PER_SERVICE }, (_, k) => {
      const n = i * ENDPOINTS_PER_SERVICE + k + generation * 7
      return {
        addresses: [n < 65536 ? addr('10.244', n) : addr('10.245', n - 65536)],
        nodeName: k % 2 ? 'node-b' : 'node-a',
        conditions: { ready: true },
      }
    }),
  }
}
