// One process's memory and CPU from /proc: RSS and PSS (smaps_rollup; PSS splits shared pages such as the node
// binary among the processes mapping them), user+system CPU seconds, and what it runs (its argv).
import { readFile } from 'node:fs/promises'

/** Memory (MB) and CPU (s) of one process. */
export interface ProcessMemory {
  pid: number
  command: string
  rssMb: number
  pssMb: number
  cpuSeconds: number
  /** CPU of its children that ended (iptables-restore, conntrack, …). */
  childCpuSeconds: number
}

const CLOCK_TICKS = 100

// The kB value of a field of smaps_rollup ("Rss:", "Pss:") as MB.
export function smapsField(text: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)
  if (!m) throw new Error(`smaps_rollup has no ${field} line`)
  return Number(m[1]) / 1024
}

// utime+stime of /proc/PID/stat in seconds (fields 14 and 15, counted after the parenthesised command name), and
// cutime+cstime (16 and 17: the children it waited for).
export function statCpuSeconds(stat: string): { own: number; children: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const sum = (a: number, b: number) => (Number(fields[a]) + Number(fields[b])) / CLOCK_TICKS
  return { own: sum(11, 12), children: sum(13, 14) }
}

// A short name for a process from its argv: `svcnet lab serve`, `svcnet proxy`, `svcnet dns serve`, … .
export function commandName(argv: string[]): string {
  const i = argv.findIndex((a) => a.endsWith('/cli/main.ts'))
  if (i < 0) return argv.slice(0, 3).join(' ')
  const words = argv.slice(i + 1).filter((a) => !a.startsWith('-'))
  return `svcnet ${words.slice(0, 2).join(' ')}`
}

// Reads one process, or undefined when it is gone (short-lived helpers end while being read).
export async function readProcessMemory(pid: number): Promise<ProcessMemory | undefined> {
  try {
    const [smaps, stat, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/smaps_rollup`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ])
    return {
      pid,
      command: commandName(cmdline.split('\0').filter(Boolean)),
      rssMb: smapsField(smaps, 'Rss'),
      pssMb: smapsField(smaps, 'Pss'),
      cpuSeconds: statCpuSeconds(stat).own,
      childCpuSeconds: statCpuSeconds(stat).children,
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH')
      return undefined
    throw new Error(`reading /proc/${pid}: ${(err as Error).message}`, { cause: err })
  }
}
