// Benchmark: a lab's memory right after `lab up` — every process of the lab (the daemon, the API forwarder, the
// kube-proxies, the DNS replicas) with its RSS, its PSS (shared pages split among their users, so the node binary
// counts once in the sum) and its CPU seconds so far; then `lab down`.
// Usage (root): node bench/lab-memory/main.ts [--labs 1] [--settle-ms 0]
import { runCommand, type CommandSpec, type ParsedCommand } from '../../src/flags/command.ts'
import { leftovers } from '../../src/cluster/lab/discovery.ts'
import { labUp } from '../../src/cluster/lab/lab-up.ts'
import { destroyLab } from '../../src/cluster/lab/teardown.ts'
import { readProcessMemory, type ProcessMemory } from './process-memory.ts'

const SPEC: CommandSpec = {
  name: 'node bench/lab-memory/main.ts',
  summary:
    "Brings a lab up, prints each of its processes' RSS, PSS and CPU seconds and the sums, brings it down.",
  flags: {
    labs: { type: 'number', description: 'labs brought up one after another (one table each)', default: 1 },
  },
}

const OURS = `mem${process.pid.toString(36)}l`

// The processes of one lab, read from /proc.
async function labProcesses(cluster: string): Promise<ProcessMemory[]> {
  const pids = (await leftovers({ cluster })).processes
  const read = await Promise.all(pids.map((p) => readProcessMemory(p)))
  return read
    .filter((p): p is ProcessMemory => p !== undefined)
    .sort((a, b) => a.command.localeCompare(b.command))
}

// One table: a row per process, then the sums.
function table(procs: ProcessMemory[]): string {
  const row = (name: string, rss: number, pss: number, cpu: number, child: number) =>
    `${name.padEnd(28)} ${rss.toFixed(0).padStart(7)} ${pss.toFixed(0).padStart(7)} ${cpu.toFixed(2).padStart(7)} ${child.toFixed(2).padStart(9)}`
  const sum = (f: (p: ProcessMemory) => number) => procs.reduce((s, p) => s + f(p), 0)
  return [
    `${'process'.padEnd(28)} ${'RSS MB'.padStart(7)} ${'PSS MB'.padStart(7)} ${'CPU s'.padStart(7)} ${'child CPU'.padStart(9)}`,
    ...procs.map((p) => row(`${p.command} (${p.pid})`, p.rssMb, p.pssMb, p.cpuSeconds, p.childCpuSeconds)),
    row(
      `sum of ${procs.length}`,
      sum((p) => p.rssMb),
      sum((p) => p.pssMb),
      sum((p) => p.cpuSeconds),
      sum((p) => p.childCpuSeconds),
    ),
  ].join('\n')
}

// Brings the labs up one at a time and prints their tables; exit 0.
async function bench(flags: ParsedCommand['flags']): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root')
  for (let i = 0; i < (flags.labs as number); i++) {
    const cluster = `${OURS}${i}`
    const t0 = performance.now()
    await labUp({ cluster })
    const upMs = performance.now() - t0
    try {
      const procs = await labProcesses(cluster)
      process.stdout.write(`lab ${i + 1}: up in ${upMs.toFixed(0)} ms\n${table(procs)}\n\n`)
    } finally {
      await destroyLab(cluster)
    }
  }
  return 0
}

// The command line (--help, usage errors with exit 2), then the bench.
function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, ({ flags }) => bench(flags))
}

process.exitCode = await main(process.argv.slice(2))
