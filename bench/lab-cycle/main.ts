// Benchmark and soak: `lab up` → ready → `lab down`, repeated; prints the up-time distribution and any leak.
// Usage (root): node bench/lab-cycle/main.ts [--cycles 20] [--seconds 600] [--phases] [--cli]
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { REPO_ROOT } from '../../src/paths.ts'
import { runCommand, type CommandSpec, type ParsedCommand } from '../../src/flags/command.ts'
import { run } from '../../src/exec/run.ts'
import { leftovers } from '../../src/cluster/lab/discovery.ts'
import { labUp } from '../../src/cluster/lab/lab-up.ts'
import { destroyLab } from '../../src/cluster/lab/teardown.ts'
import { summarise } from '../stats.ts'

const SPEC: CommandSpec = {
  name: 'node bench/lab-cycle/main.ts',
  summary: 'Brings a lab up and down repeatedly; prints up-time percentiles and checks that nothing leaks.',
  flags: {
    cycles: { type: 'number', description: 'up/down cycles', default: 20 },
    seconds: { type: 'number', description: 'stop starting new cycles after this long', default: 600 },
    phases: {
      type: 'boolean',
      description: "print how long each of lab up's steps took (from its log lines)",
    },
    cli: {
      type: 'boolean',
      description: 'time `bin/svcnet lab up` as a process (what a user waits for, loading the CLI included)',
    },
  },
}

/** What the host looks like from the outside: the things a lab could leak. */
interface HostState {
  mounts: string[]
  hostRules: string
  svcnetNetns: string[]
}

// This run's labs are all named `bench<pid>c<i>`: only their traces count (other labs may come and go meanwhile).
const OURS = `bench${process.pid.toString(36)}c`

// The host's mounts and namespaces of this run's labs, and the host's own iptables rules (read only).
async function hostState(): Promise<HostState> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .filter((l) => l.includes(`svcnet-${OURS}`))
  const save = await run('iptables-save', [], { allowFailure: true })
  const hostRules = save.stdout.replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, '')
  const netns = (await run('ip', ['netns', 'list'])).stdout
  return { mounts, hostRules, svcnetNetns: netns.split('\n').filter((l) => l.startsWith(`svcnet-${OURS}`)) }
}

// One line per step of lab up: how long from its log line to the next (the last one to the end).
function phaseLines(t0: number, steps: [number, string][]): string {
  const lines = steps.map(([t, m], i) => {
    const next = steps[i + 1]?.[0] ?? t
    return `  ${((t - t0) / 1000).toFixed(2)}s +${((next - t) / 1000).toFixed(2)}s ${m.replace(/ in [\d.]+s$/, '')}`
  })
  return `${lines.join('\n')}\n`
}

// Runs the cycles and prints one line per cycle, then the summary; exit 1 on any leak.
async function bench(flags: ParsedCommand['flags']): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root')
  const before = await hostState()
  const deadline = Date.now() + (flags.seconds as number) * 1000
  const upMs: number[] = []
  const downMs: number[] = []
  const leaks: string[] = []
  for (let i = 0; i < (flags.cycles as number) && Date.now() < deadline; i++) {
    const cluster = `${OURS}${i}`
    const t0 = performance.now()
    const steps: [number, string][] = []
    if (flags.cli) await run(join(REPO_ROOT, 'bin', 'svcnet'), ['lab', 'up', '--name', cluster])
    else await labUp({ cluster, log: (m) => steps.push([performance.now(), m]) })
    const t1 = performance.now()
    if (flags.phases) process.stdout.write(phaseLines(t0, steps))
    await destroyLab(cluster)
    const t2 = performance.now()
    upMs.push(t1 - t0)
    downMs.push(t2 - t1)
    const left = await leftovers({ cluster })
    const leaked = [
      ...left.netns,
      ...left.etcNetns,
      ...left.runDirs,
      ...left.processes.map((p) => `pid ${p}`),
    ]
    if (leaked.length) leaks.push(`cycle ${i}: ${leaked.join(', ')}`)
    process.stdout.write(
      `cycle ${i + 1}: up ${(t1 - t0).toFixed(0)} ms, down ${(t2 - t1).toFixed(0)} ms${leaked.length ? ' LEAK' : ''}\n`,
    )
  }
  const after = await hostState()
  if (after.mounts.join('\n') !== before.mounts.join('\n'))
    leaks.push(`mounts changed: ${after.mounts.join('; ')}`)
  if (after.hostRules !== before.hostRules) leaks.push('the host namespace iptables rules changed')
  if (after.svcnetNetns.join() !== before.svcnetNetns.join())
    leaks.push(`svcnet namespaces: ${after.svcnetNetns.join(', ')}`)
  const fmt = (s: ReturnType<typeof summarise>) =>
    `n=${s.n} min ${s.min.toFixed(0)} p50 ${s.p50.toFixed(0)} p90 ${s.p90.toFixed(0)} p99 ${s.p99.toFixed(0)} max ${s.max.toFixed(0)} ms`
  process.stdout.write(
    `\nlab up (to nodes Ready, every kube-proxy healthy, the DNS answering): ${fmt(summarise(upMs))}\n`,
  )
  process.stdout.write(`lab down: ${fmt(summarise(downMs))}\n`)
  process.stdout.write(
    leaks.length
      ? `LEAKS:\n  ${leaks.join('\n  ')}\n`
      : 'leaks: none (namespaces, processes, run dirs, mounts, host rules)\n',
  )
  return leaks.length ? 1 : 0
}

// The command line (--help, usage errors with exit 2), then the bench.
function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, ({ flags }) => bench(flags))
}

process.exitCode = await main(process.argv.slice(2))
