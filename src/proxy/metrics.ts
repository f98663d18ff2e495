// kube-proxy's Prometheus metrics with prom-client, upstream's names (subsystem kubeproxy_): one registry per
// kube-proxy, each family's proxier writing its own `ip_family` label values.
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { IPFamily } from './ip-family.ts'

/** Histogram buckets of sync durations: 0.001 * 2^k seconds, 15 buckets (upstream). */
export const SYNC_BUCKETS = Array.from({ length: 15 }, (_, k) => 0.001 * 2 ** k)

// Evenly spaced buckets (Prometheus LinearBuckets).
function linear(start: number, width: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i * width)
}

/** network_programming_duration_seconds buckets: 0.25 s … 5 min, as upstream merges them. */
export const NETWORK_PROGRAMMING_BUCKETS = [
  ...linear(0.25, 0.25, 2),
  ...linear(1, 1, 59),
  ...linear(60, 5, 12),
  ...linear(120, 30, 7),
].filter((b, i, all) => all.indexOf(b) === i)

// The proxy's metrics as one family's proxier sees them (every sync metric carries its `ip_family`, upstream since
// v1.33); forFamily() gives the other family's view of the same registry. The metrics server prints the registry.
export class ProxyMetrics {
  readonly registry: Registry
  readonly family: IPFamily
  readonly #FAMILY: { ip_family: IPFamily }
  readonly syncDuration: Histogram<'ip_family'>
  readonly fullSyncDuration: Histogram<'ip_family'>
  readonly partialSyncDuration: Histogram<'ip_family'>
  readonly networkProgrammingDuration: Histogram<'ip_family'>
  readonly lastSyncTimestamp: Gauge<'ip_family'>
  readonly lastQueuedTimestamp: Gauge<'ip_family'>
  readonly restoreFailures: Counter<'ip_family'>
  readonly partialRestoreFailures: Counter<'ip_family'>
  readonly rulesTotal: Gauge<'ip_family' | 'table'>
  readonly rulesLast: Gauge<'ip_family' | 'table'>
  readonly noLocalEndpoints: Gauge<'ip_family' | 'traffic_policy'>
  readonly serviceChangesTotal: Counter<'ip_family'>
  readonly endpointChangesTotal: Counter<'ip_family'>
  readonly serviceChangesPending: Gauge<'ip_family'>
  readonly endpointChangesPending: Gauge<'ip_family'>
  readonly healthzTotal: Counter<'code'>
  readonly livezTotal: Counter<'code'>

  constructor(family: IPFamily = 'IPv4', shared?: ProxyMetrics) {
    this.family = family
    this.#FAMILY = { ip_family: family }
    if (shared) {
      // Another family's view of the same metric objects.
      this.registry = shared.registry
      this.syncDuration = shared.syncDuration
      this.fullSyncDuration = shared.fullSyncDuration
      this.partialSyncDuration = shared.partialSyncDuration
      this.networkProgrammingDuration = shared.networkProgrammingDuration
      this.lastSyncTimestamp = shared.lastSyncTimestamp
      this.lastQueuedTimestamp = shared.lastQueuedTimestamp
      this.restoreFailures = shared.restoreFailures
      this.partialRestoreFailures = shared.partialRestoreFailures
      this.rulesTotal = shared.rulesTotal
      this.rulesLast = shared.rulesLast
      this.noLocalEndpoints = shared.noLocalEndpoints
      this.serviceChangesTotal = shared.serviceChangesTotal
      this.endpointChangesTotal = shared.endpointChangesTotal
      this.serviceChangesPending = shared.serviceChangesPending
      this.endpointChangesPending = shared.endpointChangesPending
      this.healthzTotal = shared.healthzTotal
      this.livezTotal = shared.livezTotal
      this.#initFamily()
      return
    }
    this.registry = new Registry()
    const registers = [this.registry]
    const familyLabel = ['ip_family'] as const
    const histogram = (name: string, help: string, buckets = SYNC_BUCKETS) =>
      new Histogram({ name: `kubeproxy_${name}`, help, buckets, labelNames: familyLabel, registers })
    const gauge = (name: string, help: string) =>
      new Gauge({ name: `kubeproxy_${name}`, help, labelNames: familyLabel, registers })
    const counter = (name: string, help: string) =>
      new Counter({ name: `kubeproxy_${name}`, help, labelNames: familyLabel, registers })
    this.syncDuration = histogram('sync_proxy_rules_duration_seconds', 'SyncProxyRules latency in seconds')
    this.fullSyncDuration = histogram(
      'sync_full_proxy_rules_duration_seconds',
      'SyncProxyRules latency in seconds for full resyncs',
    )
    this.partialSyncDuration = histogram(
      'sync_partial_proxy_rules_duration_seconds',
      'SyncProxyRules latency in seconds for partial resyncs',
    )
    this.networkProgrammingDuration = histogram(
      'network_programming_duration_seconds',
      'In Cluster Network Programming Latency in seconds',
      NETWORK_PROGRAMMING_BUCKETS,
    )
    this.lastSyncTimestamp = gauge(
      'sync_proxy_rules_last_timestamp_seconds',
      'The last time proxy rules were successfully synced',
    )
    this.lastQueuedTimestamp = gauge(
      'sync_proxy_rules_last_queued_timestamp_seconds',
      'The last time a sync of proxy rules was queued',
    )
    this.restoreFailures = counter(
      'sync_proxy_rules_iptables_restore_failures_total',
      'Cumulative proxy iptables restore failures',
    )
    this.partialRestoreFailures = counter(
      'sync_proxy_rules_iptables_partial_restore_failures_total',
      'Cumulative proxy iptables partial restore failures',
    )
    this.rulesTotal = new Gauge({
      name: 'kubeproxy_sync_proxy_rules_iptables_total',
      help: 'Total number of iptables rules owned by kube-proxy',
      labelNames: ['ip_family', 'table'],
      registers,
    })
    this.rulesLast = new Gauge({
      name: 'kubeproxy_sync_proxy_rules_iptables_last',
      help: 'Number of iptables rules written by kube-proxy in last sync',
      labelNames: ['ip_family', 'table'],
      registers,
    })
    this.noLocalEndpoints = new Gauge({
      name: 'kubeproxy_sync_proxy_rules_no_local_endpoints_total',
      help: 'Number of services with a Local traffic policy and no endpoints',
      labelNames: ['ip_family', 'traffic_policy'],
      registers,
    })
    this.serviceChangesTotal = counter(
      'sync_proxy_rules_service_changes_total',
      'Cumulative proxy rules Service changes',
    )
    this.endpointChangesTotal = counter(
      'sync_proxy_rules_endpoint_changes_total',
      'Cumulative proxy rules Endpoint changes',
    )
    this.serviceChangesPending = gauge(
      'sync_proxy_rules_service_changes_pending',
      'Pending proxy rules Service changes',
    )
    this.endpointChangesPending = gauge(
      'sync_proxy_rules_endpoint_changes_pending',
      'Pending proxy rules Endpoint changes',
    )
    this.healthzTotal = new Counter({
      name: 'kubeproxy_proxy_healthz_total',
      help: 'Cumulative proxy healthz HTTP status',
      labelNames: ['code'],
      registers,
    })
    this.livezTotal = new Counter({
      name: 'kubeproxy_proxy_livez_total',
      help: 'Cumulative proxy livez HTTP status',
      labelNames: ['code'],
      registers,
    })
    this.#initFamily()
  }

  // The same registry and metrics, written with another family's label (the dual-stack proxy's second proxier).
  forFamily(family: IPFamily): ProxyMetrics {
    return new ProxyMetrics(family, this)
  }

  // Zero samples of this family, so every metric shows up before the first sync.
  #initFamily(): void {
    const FAMILY = this.#FAMILY
    for (const c of [
      this.restoreFailures,
      this.partialRestoreFailures,
      this.serviceChangesTotal,
      this.endpointChangesTotal,
    ])
      c.inc(FAMILY, 0)
    for (const g of [this.lastSyncTimestamp, this.lastQueuedTimestamp]) g.set(FAMILY, 0)
    for (const g of [this.serviceChangesPending, this.endpointChangesPending]) g.set(FAMILY, 0)
    this.setRules({ filter: 0, nat: 0 }, { filter: 0, nat: 0 })
    this.setNoLocalEndpoints({ internal: 0, external: 0 })
  }

  // Records one sync's duration in the overall and the full or partial histogram.
  observeSync(full: boolean, seconds: number): void {
    this.syncDuration.observe(this.#FAMILY, seconds)
    ;(full ? this.fullSyncDuration : this.partialSyncDuration).observe(this.#FAMILY, seconds)
  }
  // Records one network programming latency (trigger time → rules in place).
  observeProgramming(seconds: number): void {
    this.networkProgrammingDuration.observe(this.#FAMILY, seconds)
  }
  // Records a failed restore (also counted as partial when the sync was one).
  restoreFailed(full: boolean): void {
    this.restoreFailures.inc(this.#FAMILY)
    if (!full) this.partialRestoreFailures.inc(this.#FAMILY)
  }
  // Records a successful sync's time and rule counts.
  synced(
    timestampSeconds: number,
    total: { filter: number; nat: number },
    last: { filter: number; nat: number },
  ): void {
    this.lastSyncTimestamp.set(this.#FAMILY, timestampSeconds)
    this.setRules(total, last)
  }
  // Sets the rule-count gauges.
  setRules(total: { filter: number; nat: number }, last: { filter: number; nat: number }): void {
    for (const table of ['filter', 'nat'] as const) {
      this.rulesTotal.set({ ...this.#FAMILY, table }, total[table])
      this.rulesLast.set({ ...this.#FAMILY, table }, last[table])
    }
  }
  // Sets the no-local-endpoints gauge for both policies.
  setNoLocalEndpoints(n: { internal: number; external: number }): void {
    this.noLocalEndpoints.set({ ...this.#FAMILY, traffic_policy: 'internal' }, n.internal)
    this.noLocalEndpoints.set({ ...this.#FAMILY, traffic_policy: 'external' }, n.external)
  }
  // Records how many changes a sync applied and that nothing is pending any more.
  changesApplied(services: number, endpoints: number): void {
    this.serviceChangesTotal.inc(this.#FAMILY, services)
    this.endpointChangesTotal.inc(this.#FAMILY, endpoints)
    this.setPending(0, 0)
  }
  // Sets the pending-change gauges.
  setPending(services: number, endpoints: number): void {
    this.serviceChangesPending.set(this.#FAMILY, services)
    this.endpointChangesPending.set(this.#FAMILY, endpoints)
  }
  // Sets the last-queued timestamp.
  queued(timestampSeconds: number): void {
    this.lastQueuedTimestamp.set(this.#FAMILY, timestampSeconds)
  }
  // Counts one answer of the health server.
  healthAnswered(path: '/healthz' | '/livez', code: number): void {
    ;(path === '/healthz' ? this.healthzTotal : this.livezTotal).inc({ code: String(code) })
  }
  // The current value of a single-sample metric (tests and logs); labels default to the IP family.
  async value(metric: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    const m = this.registry.getSingleMetric(metric)
    if (!m) throw new Error(`no metric ${metric} in the proxy's registry`)
    const want = { ...this.#FAMILY, ...labels }
    const sample = (await m.get()).values.find((v) =>
      Object.entries(want).every(([k, val]) => !(k in v.labels) || String(v.labels[k]) === val),
    )
    return sample?.value
  }
  // Renders the Prometheus text exposition.
  async render(): Promise<string> {
    return this.registry.metrics()
  }
}
