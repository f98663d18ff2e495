// svcnet kube-proxy benchmark: full and partial syncs at 1,000 and 10,000 Services × 5 endpoints against the real
// iptables (legacy and nft) in scratch network namespaces, compared with iptables-restore alone in one run; Service
// create → rules latency on two "nodes"; `svcnet proxy render` at 10,000. Needs root.
// Run: node bench/proxy/main.ts [--sizes 1000,10000] [--backends legacy,nft] [--nft-max 1000] [--samples 20]
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { stringify } from 'yaml'
import { run } from '../../src/exec/run.ts'
import { SystemIptables } from '../../src/proxy/iptables/runner.ts'
import { Proxier } from '../../src/proxy/proxier.ts'
import { FakeClock, realClock, type Clock } from '../../src/wait/clock.ts'
import { waitFor } from '../../src/wait/wait-for.ts'
import { summarise } from '../stats.ts'
import { benchService, benchSlice } from './objects.ts'
import { TimedIptables } from './timed-iptables.ts'

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    backends: { type: 'string', default: 'legacy,nft' },
    'nft-max': { type: 'string', default: '1000' },
    samples: { type: 'string', default: '20' },
  },
})
const SIZES = args.sizes.split(',').map(Number)
const BACKENDS = args.backends.split(',') as ('legacy' | 'nft')[]
const NFT_MAX = Number(args['nft-max'])
const SAMPLES = Number(args.samples)
const RUN_ID = randomBytes(3).toString('hex')
const RESTORE_TIMEOUT_MS = 900_000
const created: string[] = []

// A scratch namespace owned by this run.
async function netns(suffix: string): Promise<string> {
  const name = `svcnet-bench-${RUN_ID}-${suffix}`
  await run('ip', ['netns', 'add', name])
  created.push(name)
  return name
}

// Deletes every namespace this run created.
async function cleanup(): Promise<void> {
  for (const name of created.splice(0)) await run('ip', ['netns', 'delete', name], { allowFailure: true })
}

// A proxier on node-a with every service and slice added and every informer synced.
function loadedProxier(
  ipt: TimedIptables,
  n: number,
  clock: Clock = new FakeClock(),
  minSyncMs = 1000,
): Proxier {
  const p = new Proxier({
    nodeName: 'node-a',
    iptables: ipt,
    clock,
    syncPeriodMs: 30_000,
    minSyncPeriodMs: minSyncMs,
    render: { clusterCIDR: '10.244.0.0/16' },
    log: () => {},
  })
  for (let i = 0; i < n; i++) {
    p.services.onAdd(benchService(i))
    p.endpointSlices.onAdd(benchSlice(i))
  }
  for (const h of [p.services, p.endpointSlices, p.nodes]) h.onSynced()
  return p
}

/** One size × backend. */
interface SyncRow {
  backend: string
  n: number
  fullMs: number
  restoreAloneMs: number
  fullBytes: number
  partialMs: number
  partialProxierMs: number
  /** CPU time of this process (not iptables') during the partial sync. */
  partialCpuMs: number
  /** CPU time of this process during the full sync. */
  fullCpuMs: number
  partialBytes: number
  /** A full sync with every jump already in place (the hourly / after-failure case), and its restore's share. */
  steadyMs: number
  steadyRestoreMs: number
  steadyCpuMs: number
}

// CPU milliseconds (user + system) this process used since `since`.
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1000
}

// Full sync, iptables-restore alone, then a partial sync after one endpoint change.
async function measureSync(backend: 'legacy' | 'nft', n: number): Promise<SyncRow> {
  const a = await netns(`${backend[0]}${n}a`)
  const b = await netns(`${backend[0]}${n}b`)
  const binary = `iptables-${backend}`
  const ipt = new TimedIptables(new SystemIptables({ netns: a, binary, timeoutMs: RESTORE_TIMEOUT_MS }))
  const proxier = loadedProxier(ipt, n)
  let t = performance.now()
  let cpu = process.cpuUsage()
  await proxier.syncProxyRules()
  const fullMs = performance.now() - t
  const fullCpuMs = cpuMs(cpu)
  const payload = ipt.lastPayload
  t = performance.now()
  await run(`${binary}-restore`, ['-w', '5', '-W', '100000', '--noflush', '--counters'], {
    stdin: payload,
    netns: b,
    timeoutMs: RESTORE_TIMEOUT_MS,
  })
  const restoreAloneMs = performance.now() - t
  proxier.endpointSlices.onUpdate(benchSlice(7), benchSlice(7, 1))
  ipt.spentMs = 0
  t = performance.now()
  cpu = process.cpuUsage()
  const r = await proxier.syncProxyRules()
  const partialMs = performance.now() - t
  const partialCpuMs = cpuMs(cpu)
  const partialBytes = ipt.lastPayload.length
  const partialIptablesMs = ipt.spentMs
  if (r?.full !== false) throw new Error('the second sync was expected to be partial')
  proxier.forceFullSync()
  t = performance.now()
  cpu = process.cpuUsage()
  await proxier.syncProxyRules()
  const steadyMs = performance.now() - t
  const steadyCpuMs = cpuMs(cpu)
  return {
    backend,
    n,
    steadyMs,
    steadyRestoreMs: ipt.lastRestoreMs,
    steadyCpuMs,
    fullMs,
    restoreAloneMs,
    fullBytes: payload.length,
    partialMs,
    partialProxierMs: partialMs - partialIptablesMs,
    partialCpuMs,
    fullCpuMs,
    partialBytes,
  }
}

// Service created → rules restored on two nodes (two proxiers, two namespaces), creates spaced past minSync.
async function measureCreateLatency(n: number, minSyncMs: number): Promise<number[]> {
  const nodes = await Promise.all(['la', 'lb'].map((s) => netns(s)))
  const ipts = nodes.map(
    (ns) => new TimedIptables(new SystemIptables({ netns: ns, binary: 'iptables-legacy' })),
  )
  const proxiers = ipts.map((ipt) => loadedProxier(ipt, n, realClock, minSyncMs))
  for (const p of proxiers) p.start()
  const synced = () => proxiers.every((p) => p.lastResult !== undefined)
  await waitFor({
    what: 'both proxiers to finish their first sync',
    timeoutMs: 120_000,
    intervalMs: 50,
    check: async () => (synced() ? { done: true, value: null } : { done: false, seen: 'syncing' }),
  })
  const latencies: number[] = []
  try {
    for (let s = 0; s < SAMPLES; s++) {
      const idle = performance.now()
      // Space creates past the minimum sync period, so each measures one sync, not the rate limit.
      await waitFor({
        what: `min sync period (${minSyncMs}ms) to pass`,
        timeoutMs: minSyncMs + 5000,
        intervalMs: 10,
        check: async () =>
          performance.now() - idle > minSyncMs + 20
            ? { done: true, value: null }
            : { done: false, seen: 'waiting' },
      })
      const i = n + s
      const ip = benchService(i).spec!.clusterIP!
      const t0 = performance.now()
      for (const p of proxiers) {
        p.services.onAdd(benchService(i))
        p.endpointSlices.onAdd(benchSlice(i))
      }
      const done = await waitFor({
        what: `service ${i} (${ip}) programmed on both nodes`,
        timeoutMs: 30_000,
        intervalMs: 1,
        check: async () =>
          ipts.every((x) => x.lastPayload.includes(` -d ${ip} `) && x.restoring === 0)
            ? { done: true, value: Math.max(...ipts.map((x) => x.lastRestoreEnd)) }
            : { done: false, seen: ipts.map((x) => `${x.lastPayload.length} bytes`).join(', ') },
      })
      latencies.push(done - t0)
    }
  } finally {
    for (const p of proxiers) p.stop()
  }
  return latencies
}

// `svcnet proxy render` at n Services from a YAML file: the CLI end to end, and reading vs rendering in a child.
async function measureRender(n: number): Promise<{
  cliMs: number
  readMs: number
  renderMs: number
  readCpuMs: number
  renderCpuMs: number
  maxRssMB: number
}> {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-bench-render-'))
  try {
    const file = join(dir, 'objects.yaml')
    const docs: string[] = []
    for (let i = 0; i < n; i++) docs.push(stringify(benchService(i)), stringify(benchSlice(i)))
    writeFileSync(file, docs.join('---\n'))
    const cli = await run(
      process.execPath,
      [
        'src/cli/main.ts',
        'proxy',
        'render',
        '-f',
        file,
        '--hostname-override',
        'node-a',
        '--cluster-cidr',
        '10.244.0.0/16',
      ],
      { timeoutMs: 300_000 },
    )
    const child = await run(process.execPath, ['bench/proxy/render-once.ts', file], { timeoutMs: 300_000 })
    const parts = JSON.parse(child.stdout) as {
      readMs: number
      renderMs: number
      readCpuMs: number
      renderCpuMs: number
      maxRssMB: number
    }
    return { cliMs: cli.durationMs, ...parts }
  } finally {
    rmSync(dir, { recursive: true })
  }
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/proxy needs root (network namespaces, iptables)')
  const rows: string[] = [
    '| backend | services | first full sync (CPU) | iptables-restore alone, fresh netns | steady full sync (CPU) | its iptables-restore | steady / its restore | payload | partial sync, 1 endpoint changed | proxier CPU in it | partial payload | shrink |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ]
  try {
    for (const backend of BACKENDS) {
      for (const n of SIZES) {
        if (backend === 'nft' && n > NFT_MAX) {
          rows.push(
            `| nft | ${n} | not run: a full restore of this size takes minutes on nft here | | | | | | | | | |`,
          )
          continue
        }
        process.stderr.write(`bench: ${backend} ${n} services…\n`)
        const r = await measureSync(backend, n)
        rows.push(
          `| ${r.backend} | ${r.n} | ${fmt(r.fullMs)} (${fmt(r.fullCpuMs)}) | ${fmt(r.restoreAloneMs)} | ${fmt(r.steadyMs)} (${fmt(r.steadyCpuMs)}) | ${fmt(r.steadyRestoreMs)} | ${(r.steadyMs / r.steadyRestoreMs).toFixed(2)}× | ${kb(r.fullBytes)} | ${fmt(r.partialMs)} | ${fmt(r.partialCpuMs)} | ${kb(r.partialBytes)} | ${(r.fullBytes / r.partialBytes).toFixed(1)}× |`,
        )
        await cleanup()
      }
    }
    process.stdout.write(rows.join('\n') + '\n\n')
    const latencyN = Math.min(1000, Math.max(...SIZES))
    process.stderr.write(`bench: create latency at ${latencyN} services…\n`)
    const lat = summarise(await measureCreateLatency(latencyN, 1000))
    process.stdout.write(
      `Service created → rules restored on both nodes (legacy, ${latencyN} existing Services, --min-sync-period 1s, ${lat.n} creates): p50 ${fmt(lat.p50)}, p90 ${fmt(lat.p90)}, p99 ${fmt(lat.p99)}, max ${fmt(lat.max)}\n\n`,
    )
    await cleanup()
    const renderN = Math.max(...SIZES)
    process.stderr.write(`bench: render at ${renderN}…\n`)
    const rr = await measureRender(renderN)
    process.stdout.write(
      `svcnet proxy render, ${renderN} Services + ${renderN} EndpointSlices (YAML): CLI ${fmt(rr.cliMs)}; in one process: reading ${fmt(rr.readMs)} (CPU ${fmt(rr.readCpuMs)}), rendering ${fmt(rr.renderMs)} (CPU ${fmt(rr.renderCpuMs)}), peak RSS ${rr.maxRssMB.toFixed(0)} MB\n`,
    )
    process.stdout.write(
      `load average after the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs\n`,
    )
    process.stdout.write(`bench process peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`)
  } finally {
    await cleanup()
  }
}

await main()
