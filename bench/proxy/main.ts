// svcnet kube-proxy benchmark: full and partial syncs at 1,000 and 10,000 Services × 5 endpoints against the real
// iptables (legacy and nft) in scratch network namespaces, compared with iptables-restore alone in one run; Service
// create → rules latency on two "nodes"; `svcnet proxy render` at 10,000. Needs root.
// Run: node bench/proxy/main.ts [--sizes 1000,10000] [--backends legacy,nft] [--nft-max 1000] [--samples 20]
//        [--parts sync,latency,render] [--latency-backends legacy,nft] [--min-sync 100]   (--help lists them)
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { run } from '../../src/exec/run.ts'
import { runCommand, type CommandSpec } from '../../src/flags/command.ts'
import { SystemIptables } from '../../src/proxy/iptables/runner.ts'
import { Proxier } from '../../src/proxy/proxier.ts'
import { FakeClock, realClock, type Clock } from '../../src/wait/clock.ts'
import { waitFor } from '../../src/wait/wait-for.ts'
import { summarise } from '../stats.ts'
import { benchService, benchSlice } from './objects.ts'
import { TimedIptables } from './timed-iptables.ts'

const SPEC: CommandSpec = {
  name: 'node bench/proxy/main.ts',
  summary:
    'svcnet kube-proxy benchmark (root): syncs against real iptables in scratch network namespaces, Service create → rules on two nodes, and `svcnet proxy render`.',
  flags: {
    sizes: {
      type: 'string',
      default: '1000,10000',
      description: 'Service counts for the sync part',
      value: 'N,N',
    },
    backends: {
      type: 'string',
      default: 'legacy,nft',
      description: 'iptables backends for the sync part',
      value: 'B,B',
    },
    'nft-max': {
      type: 'string',
      default: '1000',
      description: 'largest count run on nft (a full 10k restore takes minutes)',
      value: 'N',
    },
    samples: { type: 'string', default: '20', description: 'creates timed in the latency part', value: 'N' },
    parts: { type: 'string', default: 'sync,latency,render', description: 'what to run', value: 'P,P' },
    'latency-backends': {
      type: 'string',
      default: 'legacy,nft',
      description: 'backends for the latency part',
      value: 'B,B',
    },
    // The lab's kube-proxies run with minSyncPeriod 100ms (src/cluster/lab/lab-up.ts).
    'min-sync': {
      type: 'string',
      default: '100',
      description: "the proxiers' --min-sync-period in ms (the lab's)",
      value: 'MS',
    },
  },
}
/** The flags: every one a string with a default. */
type Flags = Record<
  'sizes' | 'backends' | 'nft-max' | 'samples' | 'parts' | 'latency-backends' | 'min-sync',
  string
>
let parsed: Flags | undefined
// --help and usage errors are printed by runCommand, which then never calls back: exit with its code.
const code = await runCommand(SPEC, process.argv.slice(2), async ({ flags }) => {
  parsed = flags as Flags
  return 0
})
if (!parsed) process.exit(code)
const args: Flags = parsed
const PARTS = new Set(args.parts.split(','))
const LATENCY_BACKENDS = args['latency-backends'].split(',') as ('legacy' | 'nft')[]
const MIN_SYNC_MS = Number(args['min-sync'])
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

/** One create: its total time and where it went (the slower node's). */
interface CreateSample {
  totalMs: number
  /** Event → its restore starts: the runner, the proxier's apply/render, and any iptables-save/canary before it. */
  beforeRestoreMs: number
  /** The restore itself (iptables-restore, spawned through `ip netns exec`). */
  restoreMs: number
  /** This process's CPU during the create (both proxiers; the iptables processes are not counted). */
  cpuMs: number
}

/** The last create's payload restored again on one node under /usr/bin/time: wall and CPU of iptables-restore. */
interface RestoreCost {
  wallMs: number
  cpuMs: number
  bytes: number
}

// Restores a payload once more in a namespace under /usr/bin/time (the same rules again: the same work).
async function restoreCost(ns: string, backend: string, payload: string): Promise<RestoreCost> {
  const r = await run(
    '/usr/bin/time',
    [
      '-f',
      'TIME %e %U %S',
      'ip',
      'netns',
      'exec',
      ns,
      `iptables-${backend}-restore`,
      '-w',
      '5',
      '-W',
      '100000',
      '--noflush',
      '--counters',
    ],
    { stdin: payload, timeoutMs: 60_000 },
  )
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr)
  if (!m) throw new Error(`no /usr/bin/time output: ${r.stderr}`)
  return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000, bytes: payload.length }
}

// Service created → rules restored on two nodes (two proxiers, two namespaces), creates spaced past minSync.
async function measureCreateLatency(
  n: number,
  minSyncMs: number,
  backend: 'legacy' | 'nft',
): Promise<{ samples: CreateSample[]; restore: RestoreCost }> {
  const nodes = await Promise.all([`${backend[0]}la`, `${backend[0]}lb`].map((s) => netns(s)))
  const ipts = nodes.map(
    (ns) => new TimedIptables(new SystemIptables({ netns: ns, binary: `iptables-${backend}` })),
  )
  const proxiers = ipts.map((ipt) => loadedProxier(ipt, n, realClock, minSyncMs))
  for (const p of proxiers) p.start()
  const synced = () => proxiers.every((p) => p.lastResult !== undefined)
  await waitFor({
    what: 'both proxiers to finish their first sync',
    timeoutMs: 300_000,
    intervalMs: 50,
    check: async () => (synced() ? { done: true, value: null } : { done: false, seen: 'syncing' }),
  })
  const samples: CreateSample[] = []
  try {
    for (let s = 0; s < SAMPLES; s++) {
      const idle = performance.now()
      // Space creates past the minimum sync period, so each measures one sync, not the rate limit.
      await waitFor({
        what: `min sync period (${minSyncMs}ms) to pass`,
        timeoutMs: minSyncMs + 5000,
        intervalMs: 10,
        check: async () =>
          performance.now() - idle > minSyncMs + 20 && ipts.every((x) => x.restoring === 0)
            ? { done: true, value: null }
            : { done: false, seen: 'waiting' },
      })
      const i = n + s
      const ip = benchService(i).spec!.clusterIP!
      const searched = new Map<TimedIptables, { end: number; has: boolean }>()
      const t0 = performance.now()
      const cpu = process.cpuUsage()
      for (const p of proxiers) {
        p.services.onAdd(benchService(i))
        p.endpointSlices.onAdd(benchSlice(i))
      }
      const done = await waitFor({
        what: `service ${i} (${ip}) programmed on both nodes`,
        timeoutMs: 30_000,
        intervalMs: 1,
        // Each payload is searched once (the 1 ms poll must not cost the process CPU being measured).
        check: async () =>
          ipts.every((x) => {
            if (x.restoring !== 0 || x.lastRestoreEnd < t0) return false
            const seen = searched.get(x)
            if (seen?.end === x.lastRestoreEnd) return seen.has
            const has = x.lastPayload.includes(` -d ${ip} `)
            searched.set(x, { end: x.lastRestoreEnd, has })
            return has
          })
            ? { done: true, value: Math.max(...ipts.map((x) => x.lastRestoreEnd)) }
            : { done: false, seen: ipts.map((x) => `${x.lastPayload.length} bytes`).join(', ') },
      })
      const slower = ipts.reduce((a, b) => (a.lastRestoreEnd >= b.lastRestoreEnd ? a : b))
      samples.push({
        totalMs: done - t0,
        beforeRestoreMs: slower.lastRestoreStart - t0,
        restoreMs: slower.lastRestoreMs,
        cpuMs: cpuMs(cpu),
      })
    }
  } finally {
    for (const p of proxiers) p.stop()
  }
  return { samples, restore: await restoreCost(nodes[0]!, backend, ipts[0]!.lastPayload) }
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
    if (PARTS.has('sync')) {
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
    }
    if (PARTS.has('latency')) {
      const latencyN = Math.min(1000, Math.max(...SIZES))
      for (const backend of LATENCY_BACKENDS) {
        process.stderr.write(`bench: create latency at ${latencyN} services, ${backend}…\n`)
        const { samples, restore: again } = await measureCreateLatency(latencyN, MIN_SYNC_MS, backend)
        const part = (k: keyof CreateSample) => summarise(samples.map((x) => x[k]))
        const [total, before, restore, cpu] = [
          part('totalMs'),
          part('beforeRestoreMs'),
          part('restoreMs'),
          part('cpuMs'),
        ]
        process.stdout.write(
          `Service created → rules restored on both nodes (${backend}, ${latencyN} existing Services, --min-sync-period ${MIN_SYNC_MS}ms, ${total.n} creates): p50 ${fmt(total.p50)}, p90 ${fmt(total.p90)}, p99 ${fmt(total.p99)}, max ${fmt(total.max)}; ` +
            `event → restore start p50 ${fmt(before.p50)} (p90 ${fmt(before.p90)}), the restore p50 ${fmt(restore.p50)} (p90 ${fmt(restore.p90)}); proxier CPU per create (both nodes) p50 ${fmt(cpu.p50)}; ` +
            `the last create's ${kb(again.bytes)} payload restored again under /usr/bin/time: ${fmt(again.wallMs)} wall, ${fmt(again.cpuMs)} CPU\n`,
        )
        await cleanup()
      }
      process.stdout.write('\n')
    }
    if (!PARTS.has('render')) return
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
