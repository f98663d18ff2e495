// DNS benchmark: svcnet DNS vs dnsmasq serving the same records on 127.0.0.1, the same dnsperf query mix.
// Each server is pinned to CPU 1 and dnsperf to CPU 0. Prints QPS, latency p50/p99, CPU per query, memory.
// Usage: node bench/dns/main.ts [--services N] [--seconds S] [--json FILE]   (needs dnsperf and dnsmasq)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { run, start, type StartedProcess } from '../../src/exec/run.ts'
import { CLI_ENTRY } from '../../src/paths.ts'
import { waitFor } from '../../src/wait/wait-for.ts'
import { percentile } from '../stats.ts'
import { benchCluster } from './cluster.ts'
import { measure } from './memory.ts'

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    'memory-services': { type: 'string', default: '10000' },
    json: { type: 'string' },
  },
})
const SERVICES = Number(values.services)
const SECONDS = Number(values.seconds)
const MEMORY_SERVICES = Number(values['memory-services'])
const dir = mkdtempSync(join(tmpdir(), 'svcnet-dns-bench-'))

/** One dnsperf run's figures. */
interface Run {
  qps: number
  p50ms: number
  p99ms: number
  lostPct: number
  cpuSeconds: number
  queries: number
  rcodes: string
}

// utime+stime of a process, in seconds.
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

// Resident memory of a process, in MiB.
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m?.[1] ?? 0) / 1024
}

// Waits until the server answers a query (any rcode).
async function waitServing(port: number, name: string, what: string): Promise<void> {
  await waitFor({
    what: `${what} to answer ${name} on 127.0.0.1:${port}`,
    timeoutMs: 60_000,
    intervalMs: 100,
    check: async () => {
      const r = await run('dig', [`@127.0.0.1`, '-p', String(port), name, '+time=1', '+tries=1'], {
        allowFailure: true,
      })
      const status = /status: (\w+)/.exec(r.stdout)?.[1]
      return status
        ? { done: true, value: undefined }
        : { done: false, seen: r.stdout.trim().split('\n').pop() ?? '' }
    },
  })
}

// One dnsperf run against 127.0.0.1:port: `-Q` caps the rate (undefined = as fast as it goes).
async function dnsperf(port: number, pid: number, queries: string, maxQps?: number): Promise<Run> {
  const cpu0 = cpuSeconds(pid)
  const args = [
    '-c',
    '0',
    'dnsperf',
    '-s',
    '127.0.0.1',
    '-p',
    String(port),
    '-d',
    queries,
    '-l',
    String(SECONDS),
  ]
  args.push('-c', '4', '-q', '200', '-t', '2', '-v', ...(maxQps ? ['-Q', String(maxQps)] : []))
  const r = await run('taskset', args, { timeoutMs: (SECONDS + 30) * 1000 })
  const cpu = cpuSeconds(pid) - cpu0
  const lat: number[] = []
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('> ')) lat.push(Number(line.slice(line.lastIndexOf(' ') + 1)))
  }
  const num = (re: RegExp) => Number(re.exec(r.stdout)?.[1] ?? NaN)
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    lostPct: num(/Queries lost:\s+\d+ \(([\d.]+)%\)/),
    p50ms: percentile(lat, 50) * 1000,
    p99ms: percentile(lat, 99) * 1000,
    cpuSeconds: cpu,
    queries: num(/Queries completed:\s+(\d+)/),
    rcodes: /Response codes:\s+(.*)/.exec(r.stdout)?.[1] ?? '',
  }
}

// Starts svcnet DNS on a manifest file, pinned to CPU 1.
function startSvcnet(file: string, port: number, memo: number): StartedProcess {
  return start(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      CLI_ENTRY,
      'dns',
      'serve',
      '-f',
      file,
      '--listen',
      '127.0.0.1',
      '--port',
      String(port),
      '--upstream',
      'none',
      '--answer-memo',
      String(memo),
      '--health-address',
      '127.0.0.1:0',
      '--ready-address',
      '127.0.0.1:0',
      '--metrics-address',
      '127.0.0.1:0',
    ],
    { logFile: join(dir, `svcnet-${port}.log`) },
  )
}

// Starts dnsmasq on a config file, pinned to CPU 1.
function startDnsmasq(conf: string): StartedProcess {
  return start('taskset', ['-c', '1', 'dnsmasq', '-k', '-C', conf, '--pid-file=', '--user=root'], {
    logFile: join(dir, 'dnsmasq.log'),
  })
}

// Stops a server and waits for it.
async function stop(p: StartedProcess): Promise<void> {
  p.kill('SIGTERM')
  await p.exited
}

/** A row of the printed table. */
interface Row {
  server: string
  load: string
  run: Run
}

async function main(): Promise<void> {
  const load0 = loadavg()
  const cluster = benchCluster(SERVICES)
  const manifests = join(dir, 'cluster.yaml')
  const queries = join(dir, 'queries.txt')
  writeFileSync(manifests, cluster.manifests)
  writeFileSync(queries, cluster.queries)
  const dmPort = 15453
  const conf = join(dir, 'dnsmasq.conf')
  writeFileSync(
    conf,
    `port=${dmPort}\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nlocal=/cluster.local/\ncache-size=10000\n${cluster.dnsmasq}`,
  )
  const first = cluster.queries.split('\n')[0]!.split(' ')[0]!
  const rows: Row[] = []
  const servers: { name: string; port: number; start: () => StartedProcess }[] = [
    { name: 'dnsmasq', port: dmPort, start: () => startDnsmasq(conf) },
    { name: 'svcnet DNS', port: 15454, start: () => startSvcnet(manifests, 15454, 10_000) },
    { name: 'svcnet DNS, no answer memo', port: 15455, start: () => startSvcnet(manifests, 15455, 0) },
  ]
  for (const s of servers) {
    const p = s.start()
    try {
      await waitServing(s.port, first, s.name)
      // Warm-up (JIT, caches), then the measured runs.
      await dnsperf(s.port, p.pid, queries, 20_000)
      rows.push({ server: s.name, load: 'max', run: await dnsperf(s.port, p.pid, queries) })
      rows.push({ server: s.name, load: '5k qps', run: await dnsperf(s.port, p.pid, queries, 5000) })
    } finally {
      await stop(p)
    }
  }
  // Memory at MEMORY_SERVICES Services (and at none): svcnet fed by informers; dnsmasq with the same records.
  const svcnetMemory = [await measure(0), await measure(MEMORY_SERVICES)]
  const dnsmasqMiB: number[] = []
  for (const n of [0, MEMORY_SERVICES]) {
    const dmConf = join(dir, `mem-${n}.conf`)
    const records = n ? benchCluster(n, 1).dnsmasq : ''
    writeFileSync(
      dmConf,
      `port=15457\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nlocal=/cluster.local/\n${records}`,
    )
    const d = start('dnsmasq', ['-k', '-C', dmConf, '--pid-file=', '--user=root'], {
      logFile: join(dir, 'dnsmasq-mem.log'),
    })
    try {
      await waitServing(15457, 'svc0.ns0.svc.cluster.local', 'dnsmasq')
      dnsmasqMiB.push(rssMiB(d.pid))
    } finally {
      await stop(d)
    }
  }
  const dm = rows.find((r) => r.server === 'dnsmasq' && r.load === 'max')!.run
  const lines = [
    `load average before: ${load0.map((l) => l.toFixed(1)).join(' ')}, after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    `DNS benchmark: ${SERVICES} Services, ${cluster.queries.split('\n').length - 1} queries (50% A, 20% SRV, 30% NXDOMAIN search-path misses), ${SECONDS}s per run, server on CPU 1, dnsperf on CPU 0`,
    '',
    '| server | load | QPS | vs dnsmasq | p50 ms | p99 ms | lost % | server CPU s | queries per CPU-second |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ server, load, run: r }) =>
        `| ${server} | ${load} | ${Math.round(r.qps)} | ${load === 'max' ? (r.qps / dm.qps).toFixed(2) : '–'} | ${r.p50ms.toFixed(3)} | ${r.p99ms.toFixed(3)} | ${r.lostPct.toFixed(2)} | ${r.cpuSeconds.toFixed(1)} | ${Math.round(r.queries / Math.max(r.cpuSeconds, 0.01))} |`,
    ),
    '',
    `Memory at ${MEMORY_SERVICES} Services (+ one 2-endpoint EndpointSlice each) vs none: svcnet DNS (informers) RSS ${svcnetMemory[1]!.rssMiB.toFixed(0)} MiB vs ${svcnetMemory[0]!.rssMiB.toFixed(0)} MiB, V8 heap ${svcnetMemory[1]!.heapMiB.toFixed(0)} MiB vs ${svcnetMemory[0]!.heapMiB.toFixed(0)} MiB; dnsmasq (same A/SRV records) RSS ${dnsmasqMiB[1]!.toFixed(1)} MiB vs ${dnsmasqMiB[0]!.toFixed(1)} MiB`,
    '',
    `Response codes: ${rows.map((r) => `${r.server} (${r.load}): ${r.run.rcodes}`).join('; ')}`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  if (values.json)
    writeFileSync(
      values.json,
      JSON.stringify({ rows, svcnetMemory, dnsmasqMiB, loadavg: loadavg() }, null, 2),
    )
}

try {
  await main()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
