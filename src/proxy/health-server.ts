// HTTP servers: /healthz and /livez on --healthz-bind-address; /metrics and /proxyMode on --metrics-bind-address.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { ProxyHealth } from './health.ts'
import type { ProxyMetrics } from './metrics.ts'

/** Answer of one request: status, content type and body. */
export interface HttpAnswer {
  status: number
  type: string
  body: string
}

// Answers a health-server path (pure apart from reading the health state).
export function answerHealth(path: string, health: ProxyHealth, counters: Map<string, number>): HttpAnswer {
  if (path !== '/healthz' && path !== '/livez')
    return { status: 404, type: 'text/plain', body: '404 page not found\n' }
  const s = health.status()
  // /livez is the sync health alone; /healthz also needs the node to be eligible for traffic.
  const code = s.healthy && (path === '/livez' || s.nodeEligible) ? 200 : 503
  const key = `${path === '/healthz' ? 'healthz' : 'livez'}:${code}`
  counters.set(key, (counters.get(key) ?? 0) + 1)
  const body: Record<string, unknown> = {
    lastUpdated: s.lastUpdated?.toISOString() ?? '',
    currentTime: s.currentTime.toISOString(),
  }
  if (path === '/healthz') body.nodeEligible = s.nodeEligible
  return { status: code, type: 'application/json', body: JSON.stringify(body) }
}

// Answers a metrics-server path.
export function answerMetrics(
  path: string,
  metrics: ProxyMetrics,
  healthCounters: Map<string, number>,
): HttpAnswer {
  if (path === '/proxyMode') return { status: 200, type: 'text/plain', body: 'iptables' }
  if (path === '/healthz') return { status: 200, type: 'text/plain', body: 'ok' }
  if (path !== '/metrics') return { status: 404, type: 'text/plain', body: '404 page not found\n' }
  const extra: string[] = []
  for (const name of ['healthz', 'livez']) {
    extra.push(
      `# HELP kubeproxy_proxy_${name}_total Cumulative proxy ${name} HTTP status`,
      `# TYPE kubeproxy_proxy_${name}_total counter`,
    )
    for (const [k, v] of healthCounters)
      if (k.startsWith(`${name}:`))
        extra.push(`kubeproxy_proxy_${name}_total{code="${k.split(':')[1]}"} ${v}`)
  }
  return { status: 200, type: 'text/plain; version=0.0.4', body: metrics.render() + extra.join('\n') + '\n' }
}

// Splits "host:port" (IPv6 in brackets) into listen arguments.
export function parseBindAddress(addr: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr)
  const port = Number(m?.[3])
  if (!m || !(port >= 0 && port <= 65535))
    throw new Error(`invalid ${flag} ${JSON.stringify(addr)}: want host:port`)
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port }
}

// Starts an HTTP server answering with `answer`; resolves once listening.
export async function serve(
  addr: { host: string; port: number },
  answer: (path: string) => HttpAnswer,
): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const a = answer(new URL(req.url ?? '/', 'http://x').pathname)
    res.writeHead(a.status, { 'Content-Type': a.type, 'X-Content-Type-Options': 'nosniff' })
    res.end(a.body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new Error(`cannot listen on ${addr.host}:${addr.port}: ${err.message}`, { cause: err })),
    )
    server.listen(addr.port, addr.host, () => resolve())
  })
  return server
}
