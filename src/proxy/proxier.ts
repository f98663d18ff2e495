// The iptables proxier: informer events -> change trackers -> (rate-limited) snapshot -> render -> restore.
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node'
import { EndpointsChangeTracker, ServiceChangeTracker } from './change-tracker.ts'
import type { Clock, TimerHandle } from '../wait/clock.ts'
import { ProxyHealth } from './health.ts'
import { CANARY_CHAIN, CANARY_TABLES, rulesLost } from './canary.ts'
import { conntrackCleanup, type ConntrackRunner } from './conntrack.ts'
import { healthCheckTargets, type ServiceHealthServers } from './service-health.ts'
import { JUMP_RULES, missingJumps, type JumpRule } from './iptables/jump-rules.ts'
import { ensurePayload } from './iptables/ensure-payload.ts'
import { LARGE_CLUSTER_ENDPOINTS, renderRules, type RenderOptions } from './iptables/render.ts'
import { chainsOfTable, parseIptablesSave, type ParsedDump } from './iptables/restore-parse.ts'
import { RestoreError, type IptablesRunner } from './iptables/runner.ts'
import { ProxyMetrics } from './metrics.ts'
import { nodeEligible, nodeInternalIP } from './node-eligibility.ts'
import type { ResourceHandler } from '../kube/resource-handler.ts'
import { sliceServiceName, type ProxySnapshot } from './snapshot.ts'
import { SnapshotCache } from './snapshot-cache.ts'
import { PortRulesCache } from './iptables/port-rules.ts'
import { SyncRunner } from './sync-runner.ts'
import type { IPFamily } from './ip-family.ts'

/** The annotation the EndpointSlice controller sets to when the change behind a slice happened. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time'

/** Upstream FullSyncPeriod: a full sync at least this often. */
export const FULL_SYNC_PERIOD_MS = 3_600_000

/** Everything the proxier needs. */
export interface ProxierOptions {
  nodeName: string
  /** The family this proxier programs (iptables for IPv4, ip6tables for IPv6). @default IPv4 */
  ipFamily?: IPFamily
  /** The health shared by every family's proxier (the dual-stack proxy); undefined makes its own. */
  health?: ProxyHealth
  /** This family's view of the metrics registry shared by every family's proxier; undefined makes its own. */
  metrics?: ProxyMetrics
  iptables: IptablesRunner
  clock: Clock
  /** --sync-period. */
  syncPeriodMs: number
  /** --min-sync-period. */
  minSyncPeriodMs: number
  /** Render settings except the per-sync ones (existing chains, changed services, node port IPs) and the family. */
  render: Omit<RenderOptions, 'existingNatChains' | 'changedServices' | 'nodePortIPs' | 'ipFamily'>
  /** Node IPs for --nodeport-addresses, re-read on every sync; undefined = all local addresses. */
  nodePortIPs?: () => string[] | undefined
  /** Health-check node port listeners, kept in step after every sync; undefined serves none. */
  serviceHealth?: ServiceHealthServers
  /** Deletes stale UDP conntrack entries after syncs; undefined skips the cleanup. */
  conntrack?: ConntrackRunner
  /** Log sink for one-line messages (the CLI prefixes and prints them). */
  log: (msg: string) => void
}

/** The outcome of one sync, for logs and tests. */
export interface SyncResult {
  full: boolean
  services: number
  changed: number
  durationMs: number
}

// svcnet's kube-proxy core: owns trackers, the sync runner, health and metrics.
export class Proxier {
  readonly services: ResourceHandler<V1Service>
  readonly endpointSlices: ResourceHandler<V1EndpointSlice>
  /** The proxy's own Node: its eligibility feeds /healthz. */
  readonly nodes: ResourceHandler<V1Node>
  readonly health: ProxyHealth
  /** The node this proxy programs (--hostname-override). */
  readonly nodeName: string
  readonly ipFamily: IPFamily
  readonly metrics: ProxyMetrics
  readonly #o: ProxierOptions
  readonly #svcTracker: ServiceChangeTracker
  readonly #epTracker: EndpointsChangeTracker
  readonly #runner: SyncRunner
  #started = false
  #servicesSynced = false
  #slicesSynced = false
  #nodeSynced = false
  #nodeIP: string | undefined
  /** Per Service, the earliest last-change-trigger-time of its EndpointSlices not yet programmed (ms). */
  readonly #triggerTimes = new Map<string, number>()
  #needFullSync = true
  #lastFullSync = -Infinity
  #lastResult: SyncResult | undefined
  #monitor: TimerHandle | undefined
  readonly #snapshots: SnapshotCache
  readonly #portRules = new PortRulesCache()
  /** When iptables-save was last scanned for stale chains (large clusters: at most once per sync period). */
  #lastScan = -Infinity
  #primed = false

  constructor(opts: ProxierOptions) {
    this.#o = opts
    this.nodeName = opts.nodeName
    const family = (this.ipFamily = opts.ipFamily ?? 'IPv4')
    this.metrics = opts.metrics ?? new ProxyMetrics(family)
    this.#snapshots = new SnapshotCache(opts.nodeName, family)
    this.#svcTracker = new ServiceChangeTracker(family)
    this.#epTracker = new EndpointsChangeTracker(opts.nodeName, family)
    this.health = opts.health ?? new ProxyHealth(opts.clock, 2 * opts.syncPeriodMs)
    this.health.register(family)
    this.#runner = new SyncRunner({
      fn: () => this.syncProxyRules().then(() => undefined),
      minIntervalMs: opts.minSyncPeriodMs,
      maxIntervalMs: opts.syncPeriodMs,
      retryIntervalMs: opts.syncPeriodMs,
      clock: opts.clock,
      onError: (err) =>
        opts.log(`sync failed, retrying in ${opts.syncPeriodMs}ms: ${(err as Error).message}`),
    })
    const handler = <T>(
      update: (a: T | undefined, b: T | undefined) => boolean,
      synced: () => void,
    ): ResourceHandler<T> => ({
      onAdd: (obj) => this.#changed(update(undefined, obj)),
      onUpdate: (oldObj, newObj) => this.#changed(update(oldObj, newObj)),
      onDelete: (obj) => this.#changed(update(obj, undefined)),
      onSynced: synced,
    })
    this.services = handler<V1Service>(
      (a, b) => this.#svcTracker.update(a, b),
      () => this.#synced('services'),
    )
    this.endpointSlices = handler<V1EndpointSlice>(
      (a, b) => {
        this.#recordTrigger(b)
        return this.#epTracker.update(a, b)
      },
      () => this.#synced('slices'),
    )
    const onNode = (node: V1Node | undefined) => {
      if (node && node.metadata?.name !== opts.nodeName) return
      this.health.nodeEligible = node === undefined || nodeEligible(node)
      // Upstream's node IP: the Node's first InternalIP of this family (KUBE-FW lets the node's own LB traffic in).
      this.#nodeIP = nodeInternalIP(node, family)
    }
    this.nodes = {
      onAdd: onNode,
      onUpdate: (_old, node) => onNode(node),
      onDelete: (node) => {
        if (node.metadata?.name === opts.nodeName) onNode(undefined)
      },
      onSynced: () => this.#synced('node'),
    }
  }

  /** True once services, endpoint slices and the proxy's Node have synced: no rule is written before. */
  get initialized(): boolean {
    return this.#servicesSynced && this.#slicesSynced && this.#nodeSynced
  }
  /** The last successful sync. */
  get lastResult(): SyncResult | undefined {
    return this.#lastResult
  }
  // Starts the sync loop; its first run happens as soon as services and endpoint slices have synced.
  start(): void {
    this.#started = true
    if (this.initialized) this.#runner.start()
    this.#scheduleMonitor()
  }
  // Stops the sync loop and the canary monitor.
  stop(): void {
    this.#started = false
    this.#runner.stop()
    this.#monitor?.cancel()
    this.#monitor = undefined
    void this.#o.serviceHealth?.close()
  }
  // Checks our rules every sync period (upstream's canary monitor); a flush found forces a full sync.
  #scheduleMonitor(): void {
    this.#monitor?.cancel()
    if (!this.#started) return
    this.#monitor = this.#o.clock.setTimer(() => void this.checkRules(), this.#o.syncPeriodMs)
  }
  // One canary check (also called by tests); returns what was found lost, if anything.
  async checkRules(): Promise<string | undefined> {
    let lost: string | undefined
    try {
      // Before the first successful sync nothing of ours is expected to be there.
      if (this.#lastResult !== undefined) lost = await rulesLost(this.#o.iptables)
    } catch (err) {
      this.#o.log(`canary check failed: ${(err as Error).message}`)
    }
    if (lost) {
      this.#o.log(`${lost}: iptables was flushed behind our back, forcing a full sync`)
      this.forceFullSync()
    }
    this.#scheduleMonitor()
    return lost
  }
  // Requests a sync (upstream Sync()): marks an update as queued for health and triggers the runner.
  sync(): void {
    this.health.queued(this.ipFamily)
    this.metrics.queued(this.#o.clock.now() / 1000)
    this.#runner.run()
  }
  // Forces the next sync to be a full one (e.g. iptables was flushed behind our back).
  forceFullSync(): void {
    this.#needFullSync = true
    this.sync()
  }

  #changed(pending: boolean): void {
    this.metrics.setPending(this.#svcTracker.pendingCount, this.#epTracker.pendingCount)
    if (pending && this.initialized) this.sync()
  }
  #synced(which: 'services' | 'slices' | 'node'): void {
    if (which === 'services') this.#servicesSynced = true
    else if (which === 'slices') this.#slicesSynced = true
    else this.#nodeSynced = true
    if (!this.initialized) return
    if (this.#started) this.#runner.start()
    this.sync()
  }

  // One sync: apply changes, ensure jumps (full syncs), render, restore. Throws on failure (and needs a full sync next).
  async syncProxyRules(): Promise<SyncResult | undefined> {
    if (!this.initialized) return undefined
    const clock = this.#o.clock
    const start = clock.now()
    const full = this.#needFullSync || start - this.#lastFullSync > FULL_SYNC_PERIOD_MS
    // The changed set and the snapshot are taken together, before the first await: an event that arrives while we
    // wait for iptables stays pending for the next sync, so this sync never writes a KUBE-SERVICES jump to a chain
    // of a service it does not consider changed (that was "Chain 'KUBE-SVC-…' does not exist" under load).
    const changedServices = this.#svcTracker.apply()
    const changedEndpoints = this.#epTracker.apply()
    const changed = new Set([...changedServices, ...changedEndpoints])
    // The first sync loads every Service into the snapshot; later ones recompute only the changed Services.
    const load = this.#primed ? changed : new Set([...this.#svcTracker.keys(), ...this.#epTracker.services()])
    const before = this.#primed ? this.#snapshots.partial(changed) : undefined
    this.#snapshots.update(load, {
      service: (k) => this.#svcTracker.get(k),
      slices: (k) => this.#epTracker.slicesOf(k),
    })
    this.#primed = true
    const after = this.#snapshots.partial(changed)
    const snapshot = this.#snapshots.snapshot()
    this.metrics.changesApplied(changedServices.size, changedEndpoints.size)
    try {
      let saved: ParsedDump | undefined
      if (full) {
        saved = await this.#saveTables()
        await this.#ensureJumpsAndCanaries(saved)
      }
      // Upstream scans iptables-save for stale chains on every sync, but in large clusters at most once per sync
      // period; in between, the chains the previous rendering had and this one has not are deleted.
      const large = this.#snapshots.totalEndpoints > LARGE_CLUSTER_ENDPOINTS
      let existing: string[] | undefined
      if (saved?.has('nat')) {
        existing = saved.get('nat')!.chains
        this.#lastScan = start
      } else if (full || !large || start - this.#lastScan >= this.#o.syncPeriodMs) {
        try {
          existing = chainsOfTable(await this.#o.iptables.save('nat'), 'nat')
          this.#lastScan = start
        } catch (err) {
          this.#o.log(
            `iptables-save -t nat failed, stale chains will not be deleted: ${(err as Error).message}`,
          )
        }
      }
      const rendered = renderRules(snapshot, {
        ...this.#o.render,
        ipFamily: this.ipFamily,
        nodeIP: this.#o.render.nodeIP ?? this.#nodeIP,
        nodePortIPs: this.#o.nodePortIPs?.(),
        existingNatChains: existing,
        changedServices: full ? undefined : changed,
        cache: this.#portRules,
        totalEndpoints: this.#snapshots.totalEndpoints,
      })
      await this.#o.iptables.restore(rendered.restore)
      const end = clock.now()
      this.#needFullSync = false
      if (full) this.#lastFullSync = start
      this.health.updated(this.ipFamily)
      this.metrics.synced(
        end / 1000,
        { filter: rendered.filterRules, nat: rendered.natRulesTotal },
        { filter: rendered.filterRules, nat: rendered.natRulesWritten },
      )
      this.metrics.setNoLocalEndpoints(rendered.noLocalEndpoints)
      const result = {
        full,
        services: snapshot.services.length,
        changed: changed.size,
        durationMs: end - start,
      }
      this.#lastResult = result
      await this.#cleanConntrack(before, after)
      await this.#o.serviceHealth?.sync(healthCheckTargets(snapshot))
      this.#observeProgramming(changed, end)
      this.#observe(full, (end - start) / 1000)
      this.#o.log(
        `synced ${result.services} service ports in ${result.durationMs}ms (${full ? 'full' : `partial, ${changed.size} changed`})`,
      )
      return result
    } catch (err) {
      this.#needFullSync = true
      if (err instanceof RestoreError) this.metrics.restoreFailed(full)
      this.#observe(full, (clock.now() - start) / 1000)
      throw err
    }
  }
  // Deletes UDP conntrack entries that point at removed endpoints or cached a REJECT; failures are logged only.
  async #cleanConntrack(previous: ProxySnapshot | undefined, next: ProxySnapshot): Promise<void> {
    const ct = this.#o.conntrack
    if (!ct) return
    for (const filter of conntrackCleanup(previous, next)) {
      try {
        await ct.deleteEntries(filter)
      } catch (err) {
        this.#o.log(`UDP conntrack cleanup failed: ${(err as Error).message}`)
      }
    }
  }
  // Remembers when the change behind a slice event was triggered (the endpoints controller's annotation).
  #recordTrigger(slice: V1EndpointSlice | undefined): void {
    const svc = slice && sliceServiceName(slice)
    const at = Date.parse(slice?.metadata?.annotations?.[LAST_CHANGE_TRIGGER_TIME] ?? '')
    if (!svc || Number.isNaN(at)) return
    const known = this.#triggerTimes.get(svc)
    if (known === undefined || at < known) this.#triggerTimes.set(svc, at)
  }
  // Observes network programming latency for the services this sync programmed.
  #observeProgramming(changed: ReadonlySet<string>, endMs: number): void {
    for (const svc of changed) {
      const at = this.#triggerTimes.get(svc)
      if (at === undefined) continue
      this.#triggerTimes.delete(svc)
      this.metrics.observeProgramming(Math.max(0, (endMs - at) / 1000))
    }
  }
  #observe(full: boolean, seconds: number): void {
    this.metrics.observeSync(full, seconds)
  }
  // iptables-save of filter and nat (what a full sync checks jumps, canaries and stale chains against); a table
  // that cannot be saved is left out, and the checks fall back to one `iptables -C` per rule.
  async #saveTables(): Promise<ParsedDump> {
    const out: ParsedDump = new Map()
    for (const table of ['filter', 'nat'] as const) {
      try {
        const t = parseIptablesSave(await this.#o.iptables.save(table)).get(table)
        if (t) out.set(table, t)
      } catch (err) {
        this.#o.log(`iptables-save -t ${table} failed: ${(err as Error).message}`)
      }
    }
    return out
  }
  // Upstream's EnsureChain + EnsureRule(Prepend) for every jump into our chains, and the canaries: what the saved
  // tables lack goes in one small restore (src/proxy/iptables/ensure-payload.ts); the jumps of a table that could not
  // be saved are checked and inserted one command each, as upstream does.
  async #ensureJumpsAndCanaries(saved: ParsedDump): Promise<void> {
    const missing = missingJumps(saved).filter((j) => saved.has(j.table))
    const emptyChains = Object.fromEntries(
      CANARY_TABLES.filter((t) => !saved.has(t) || !saved.get(t)!.chains.includes(CANARY_CHAIN)).map((t) => [
        t,
        [CANARY_CHAIN],
      ]),
    )
    const payload = ensurePayload(saved, missing, emptyChains)
    if (payload) {
      try {
        await this.#o.iptables.ensure(payload)
      } catch (err) {
        throw new Error(`failed to ensure the jumps into kube-proxy's chains: ${(err as Error).message}`, {
          cause: err,
        })
      }
    }
    await this.#ensureJumps(JUMP_RULES.filter((j) => !saved.has(j.table)))
  }
  // Ensures jumps with `iptables -N` (target), `-C` and `-I`, in upstream's order.
  async #ensureJumps(jumps: readonly JumpRule[]): Promise<void> {
    const ipt = this.#o.iptables
    for (const j of JUMP_RULES) {
      if (!jumps.includes(j)) continue
      try {
        await ipt.ensureChain(j.table, j.to)
        await ipt.ensureRule(j.table, j.from, j.args)
      } catch (err) {
        throw new Error(`failed to ensure jump ${j.table} ${j.from} -> ${j.to}: ${(err as Error).message}`, {
          cause: err,
        })
      }
    }
  }
}
