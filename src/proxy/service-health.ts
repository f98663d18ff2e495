// Service health-check node ports (upstream's ServiceHealthServer): for each LoadBalancer Service with
// externalTrafficPolicy Local, an HTTP server on its healthCheckNodePort tells the cloud LB whether this node has
// local endpoints: 200 with the count, 503 when there are none (or the proxy is unhealthy).
import { createServer, type Server } from 'node:http'
import { splitKey } from '../kube/object-key.ts'
import { servicePortKey, type ProxySnapshot } from './snapshot.ts'

/** What one health-check node port reports. */
export interface HealthCheckTarget {
  /** `ns/name` of the Service. */
  service: string
  /** Local ready endpoints (distinct IPs) of the Service on this node. */
  localEndpoints: number
}

// Health-check node ports wanted by a snapshot, with each Service's local ready endpoint count (pure).
export function healthCheckTargets(snapshot: ProxySnapshot): Map<number, HealthCheckTarget> {
  const out = new Map<number, HealthCheckTarget>()
  const local = new Map<string, Set<string>>()
  // Only LoadBalancer Services with eTP Local have a health-check node port, on every one of their ports.
  for (const svc of snapshot.services) {
    if (svc.healthCheckNodePort === 0) continue
    const ips = local.get(svc.service) ?? new Set<string>()
    for (const ep of snapshot.endpoints.get(servicePortKey(svc.name, svc.protocol)) ?? [])
      if (ep.isLocal && ep.ready) ips.add(ep.ip)
    local.set(svc.service, ips)
    out.set(svc.healthCheckNodePort, { service: svc.service, localEndpoints: ips.size })
  }
  return out
}

/** An HTTP answer. */
export interface HealthCheckAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

// The answer for one target: 200 when there are local endpoints and the proxy is healthy, else 503 (pure).
export function answerHealthCheck(target: HealthCheckTarget, proxyHealthy: boolean): HealthCheckAnswer {
  const { namespace, name } = splitKey(target.service)
  const ok = target.localEndpoints > 0 && proxyHealthy
  return {
    status: ok ? 200 : 503,
    headers: {
      'Content-Type': 'application/json',
      'X-Content-Type-Options': 'nosniff',
      'X-Load-Balancing-Endpoint-Weight': String(target.localEndpoints),
    },
    body: JSON.stringify({
      service: { namespace, name },
      localEndpoints: target.localEndpoints,
      serviceProxyHealthy: proxyHealthy,
    }),
  }
}

/** Keeps one listener per health-check node port in step with the targets. */
export interface ServiceHealthServers {
  // Opens listeners for new ports, closes those no longer wanted, updates the counts.
  sync(targets: ReadonlyMap<number, HealthCheckTarget>): Promise<void>
  // Closes every listener.
  close(): Promise<void>
}

// Real HTTP listeners on `host` (all addresses by default).
export class HttpServiceHealthServers implements ServiceHealthServers {
  readonly #host: string
  readonly #healthy: () => boolean
  readonly #log: (msg: string) => void
  readonly #servers = new Map<number, { server: Server; target: HealthCheckTarget }>()
  constructor(opts: { host?: string; healthy: () => boolean; log: (msg: string) => void }) {
    this.#host = opts.host ?? '0.0.0.0'
    this.#healthy = opts.healthy
    this.#log = opts.log
  }
  // Ports currently served.
  get ports(): number[] {
    return [...this.#servers.keys()].sort((a, b) => a - b)
  }
  async sync(targets: ReadonlyMap<number, HealthCheckTarget>): Promise<void> {
    for (const [port, entry] of [...this.#servers]) {
      if (targets.has(port)) continue
      this.#servers.delete(port)
      await new Promise<void>((resolve) => entry.server.close(() => resolve()))
    }
    for (const [port, target] of targets) {
      const existing = this.#servers.get(port)
      if (existing) {
        existing.target = target
        continue
      }
      const entry = { server: createServer(), target }
      entry.server.on('request', (_req, res) => {
        const a = answerHealthCheck(entry.target, this.#healthy())
        res.writeHead(a.status, a.headers)
        res.end(a.body)
      })
      try {
        await new Promise<void>((resolve, reject) => {
          entry.server.once('error', reject)
          entry.server.listen(port, this.#host, () => resolve())
        })
        this.#servers.set(port, entry)
      } catch (err) {
        this.#log(
          `cannot serve health-check node port ${port} for ${target.service}: ${(err as Error).message}`,
        )
      }
    }
  }
  async close(): Promise<void> {
    await this.sync(new Map())
  }
}
