// The proxy's answers on its component servers: /healthz and /livez on --healthz-bind-address; /metrics and /proxyMode
// on --metrics-bind-address.
import type { HttpAnswer } from '../kube/component-server.ts'
import type { ProxyHealth } from './health.ts'
import type { ProxyMetrics } from './metrics.ts'

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
  // Upstream's body (v1.33+): lastUpdated is "now" when healthy (older releases' meaning), then per-family status.
  const time = (d: Date | undefined) => (d ?? new Date(0)).toISOString()
  const body: Record<string, unknown> = {
    lastUpdated: code === 200 ? time(s.currentTime) : s.lastUpdated ? time(s.lastUpdated) : '',
    currentTime: time(s.currentTime),
  }
  if (path === '/healthz') body.nodeEligible = s.nodeEligible
  body.healthy = s.healthy
  body.status = Object.fromEntries(
    Object.entries(s.families).map(([f, h]) => [
      f,
      { lastUpdated: h.lastUpdated ? time(h.lastUpdated) : '', healthy: h.healthy },
    ]),
  )
  return { status: code, type: 'application/json', body: JSON.stringify(body) }
}

// Answers a metrics-server path.
export async function answerMetrics(path: string, metrics: ProxyMetrics): Promise<HttpAnswer> {
  if (path === '/proxyMode') return { status: 200, type: 'text/plain', body: 'iptables' }
  if (path === '/healthz') return { status: 200, type: 'text/plain', body: 'ok' }
  if (path !== '/metrics') return { status: 404, type: 'text/plain', body: '404 page not found\n' }
  return { status: 200, type: metrics.registry.contentType, body: await metrics.render() }
}
