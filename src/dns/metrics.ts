// Prometheus metrics in CoreDNS's names (coredns_dns_*, coredns_forward_*, coredns_cache_*), one registry per server.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { ClusterIndex } from './cluster-index.ts'
import type { Forwarder } from './forwarder.ts'
import type { QueryObservation } from './server.ts'

/** CoreDNS's request duration buckets (0.00025 s … 8.192 s). */
export const DURATION_BUCKETS = [
  0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096,
  8.192,
]

const SERVER = 'dns://:53'

// The server's metrics: observe() is called once per answered query, the rest is read at scrape time.
export class DnsMetrics {
  readonly registry = new Registry()
  readonly #requests: Counter<'server' | 'zone' | 'proto' | 'family' | 'type'>
  readonly #responses: Counter<'server' | 'zone' | 'rcode' | 'plugin'>
  readonly #duration: Histogram<'server' | 'zone' | 'type'>
  readonly #size: Histogram<'server' | 'zone' | 'proto'>
  /** Bound label sets, so the hot path does not hash labels on every query. */
  readonly #bound = new Map<string, () => void>()
  readonly #zone: string

  constructor(zone: string, index: ClusterIndex, forwarder: Forwarder, synced: () => boolean) {
    const registers = [this.registry]
    // process_* and nodejs_* (memory, CPU, event loop lag), as CoreDNS exposes Go's process metrics.
    collectDefaultMetrics({ register: this.registry })
    this.#zone = `${zone}.`
    this.#requests = new Counter({
      name: 'coredns_dns_requests_total',
      help: 'Counter of DNS requests made per zone, protocol and family.',
      labelNames: ['server', 'zone', 'proto', 'family', 'type'],
      registers,
    })
    this.#responses = new Counter({
      name: 'coredns_dns_responses_total',
      help: 'Counter of response status codes.',
      labelNames: ['server', 'zone', 'rcode', 'plugin'],
      registers,
    })
    this.#duration = new Histogram({
      name: 'coredns_dns_request_duration_seconds',
      help: 'Histogram of the time (in seconds) each request took per zone.',
      labelNames: ['server', 'zone', 'type'],
      buckets: DURATION_BUCKETS,
      registers,
    })
    this.#size = new Histogram({
      name: 'coredns_dns_response_size_bytes',
      help: 'Size of the returned response in bytes.',
      labelNames: ['server', 'zone', 'proto'],
      buckets: [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3],
      registers,
    })
    const fwd = forwarder.stats
    new Counter({
      name: 'coredns_cache_hits_total',
      help: 'The count of cache hits (forwarded answers).',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset()
        this.inc({ server: SERVER }, fwd.cacheHits)
      },
    })
    new Counter({
      name: 'coredns_cache_misses_total',
      help: 'The count of cache misses (forwarded answers).',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset()
        this.inc({ server: SERVER }, fwd.cacheMisses)
      },
    })
    new Counter({
      name: 'coredns_forward_requests_total',
      help: 'Counter of requests made per upstream.',
      labelNames: ['to'],
      registers,
      collect() {
        this.reset()
        for (const [to, n] of fwd.requests) this.inc({ to }, n)
      },
    })
    new Gauge({
      name: 'svcnet_dns_index_objects',
      help: 'Objects held by the DNS index, per resource.',
      labelNames: ['resource'],
      registers,
      collect() {
        for (const [resource, n] of Object.entries(index.sizes())) this.set({ resource }, n)
      },
    })
    new Gauge({
      name: 'coredns_kubernetes_synced',
      help: '1 once every informer has listed its resource.',
      registers,
      collect() {
        this.set(synced() ? 1 : 0)
      },
    })
  }

  // Counts one answered query.
  observe(o: QueryObservation): void {
    const key = `${o.transport} ${o.family} ${o.qtype} ${o.rcode} ${o.source}`
    let inc = this.#bound.get(key)
    if (!inc) {
      const requests = this.#requests.labels(SERVER, this.#zone, o.transport, String(o.family), o.qtype)
      const plugin =
        o.source === 'forward'
          ? 'forward'
          : o.source === 'cache'
            ? 'kubernetes'
            : o.source === 'error'
              ? ''
              : 'kubernetes'
      const responses = this.#responses.labels(SERVER, this.#zone, o.rcode, plugin)
      inc = () => {
        requests.inc()
        responses.inc()
      }
      if (this.#bound.size < 1000) this.#bound.set(key, inc)
    }
    inc()
    this.#duration.labels(SERVER, this.#zone, o.qtype).observe(o.seconds)
    this.#size.labels(SERVER, this.#zone, o.transport).observe(o.bytes)
  }
}
