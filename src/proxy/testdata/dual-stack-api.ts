// A loopback API server for the daemon's dual-stack root test, run inside the test's network namespace: lists one
// dual-stack Service, its IPv4 and IPv6 EndpointSlices and the Node, and holds every watch open.
// Usage: node src/proxy/testdata/dual-stack-api.ts PORT
import { createServer } from 'node:http'

const port = Number(process.argv[2])
const meta = (name: string) => ({ namespace: 'default', name, resourceVersion: '1' })
const slice = (family: 'IPv4' | 'IPv6', ip: string) => ({
  metadata: { ...meta(`web-${family}`), labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: family,
  ports: [{ name: '', port: 8080, protocol: 'TCP' }],
  endpoints: [{ addresses: [ip], nodeName: 'n1', conditions: { ready: true } }],
})
const lists: Record<string, unknown[]> = {
  '/api/v1/services': [
    {
      metadata: meta('web'),
      spec: {
        type: 'NodePort',
        ipFamilies: ['IPv4', 'IPv6'],
        clusterIP: '10.96.0.20',
        clusterIPs: ['10.96.0.20', 'fd00:10:96::20'],
        ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }],
      },
    },
  ],
  '/apis/discovery.k8s.io/v1/endpointslices': [
    slice('IPv4', '10.244.1.5'),
    slice('IPv6', 'fd00:10:244:1::5'),
  ],
  '/api/v1/nodes': [{ metadata: { name: 'n1', resourceVersion: '1' } }],
}
createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const items = lists[url.pathname]
  if (!items) return void res.writeHead(404).end('{}')
  res.setHeader('Content-Type', 'application/json')
  if (url.searchParams.get('watch') === 'true') return void res.write('')
  res.end(JSON.stringify({ kind: 'List', metadata: { resourceVersion: '1' }, items }))
}).listen(port, '127.0.0.1')
