// HTTP servers: /healthz and /livez on --healthz-bind-address; /metrics and /proxyMode on --metrics-bind-address.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { ProxyHealth } from './health.ts'
import type { ProxyMetrics } from './metrics.ts'

/** Answer of one request: status, content type and body. */
export interface HttpAnswer {
  status: number
  type: string
  body: string
  headers?: Record<string, string>
}

/** Where a health answer is counted (kubeproxy_proxy_healthz_total / livez_total). */
export interface HealthCounter {
  healthAnswered(path: '/healthz' | '/livez', code: number): void
}

// Answers a health-server path (pure apart from reading the health state and counting the answer).
export function answerHealth(path: string, health: ProxyHealth, counter?: HealthCounter): HttpAnswer {
  if (path !== '/healthz' && path !== '/livez')
    return { status: 404, type: 'text/plain', body: '404 page not found\n' }
  const s = health.status()
  // /livez is the sync health alone; /healthz also needs the node to be eligible for traffic.
  const code = s.healthy && (path === '/livez' || s.nodeEligible) ? 200 : 503
  counter?.healthAnswered(path, code)
  const body: Record<string, unknown> = {
    lastUpdated: s.lastUpdated?.toISOString() ?? '',
    currentTime: s.currentTime.toISOString(),
  }
  if (path === '/healthz') body.nodeEligible = s.nodeEligible
  return { status: code, type: 'application/json', body: JSON.stringify(body) }
}

// Answers a metrics-server path.
export async function answerMetrics(path: string, metrics: ProxyMetrics): Promise<HttpAnswer> {
  if (path === '/proxyMode') return { status: 200, type: 'text/plain', body: 'iptables' }
  if (path === '/healthz') return { status: 200, type: 'text/plain', body: 'ok' }
  if (path !== '/metrics') return { status: 404, type: 'text/plain', body: '404 page not found\n' }
  return { status: 200, type: metrics.registry.contentType, body: await metrics.render() }
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
  answer: (path: string) => HttpAnswer | Promise<HttpAnswer>,
): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (a: HttpAnswer) => {
      res.writeHead(a.status, { 'Content-Type': a.type, 'X-Content-Type-Options': 'nosniff', ...a.headers })
      res.end(a.body)
    }
    Promise.resolve(answer(new URL(req.url ?? '/', 'http://x').pathname)).then(reply, (err: unknown) =>
      reply({ status: 500, type: 'text/plain', body: `${(err as Error).message}\n` }),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new Error(`cannot listen on ${addr.host}:${addr.port}: ${err.message}`, { cause: err })),
    )
    server.listen(addr.port, addr.host, () => resolve())
  })
  return server
}
