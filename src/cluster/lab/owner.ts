// Who is building a lab: `lab up` records its pid in the run directory before it creates anything.
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The owner record: the `lab up` process (pid and kernel start time, so a reused pid is not mistaken for it). */
export interface LabOwner {
  pid: number
  /** Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot. */
  startTicks: number
  /** When `lab up` began, ms since the epoch. */
  createdAt: number
}

const OWNER_FILE = 'owner.json'

// The start time (clock ticks since boot) in a /proc/<pid>/stat line; the command name may hold spaces and parens.
export function startTicksOf(statLine: string): number | undefined {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[19])
  return Number.isInteger(ticks) ? ticks : undefined
}

// Reads a process's start time from /proc; undefined when it is gone.
async function startTicks(pid: number): Promise<number | undefined> {
  try {
    return startTicksOf(await readFile(`/proc/${pid}/stat`, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`reading /proc/${pid}/stat: ${(err as Error).message}`, { cause: err })
  }
}

// Records this process as the owner of a lab run (the run directory must exist).
export async function writeOwner(runDir: string, now = Date.now()): Promise<LabOwner> {
  const ticks = await startTicks(process.pid)
  if (ticks === undefined) throw new Error(`cannot read the start time of this process (pid ${process.pid})`)
  const owner: LabOwner = { pid: process.pid, startTicks: ticks, createdAt: now }
  await writeFile(join(runDir, OWNER_FILE), `${JSON.stringify(owner)}\n`, { mode: 0o600 })
  return owner
}

// The owner record of a run directory; undefined when there is none (or it is unreadable, which is said).
export async function readOwner(runDir: string): Promise<LabOwner | undefined> {
  let text: string
  try {
    text = await readFile(join(runDir, OWNER_FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`reading the owner of ${runDir}: ${(err as Error).message}`, { cause: err })
  }
  const o = JSON.parse(text) as Partial<LabOwner>
  if (typeof o.pid !== 'number' || typeof o.startTicks !== 'number' || typeof o.createdAt !== 'number') {
    throw new Error(`${join(runDir, OWNER_FILE)} is not an owner record: ${text.trim()}`)
  }
  return o as LabOwner
}

// True while the recorded `lab up` process still runs (same pid and same start time).
export async function ownerAlive(owner: LabOwner): Promise<boolean> {
  return (await startTicks(owner.pid)) === owner.startTicks
}

// When a namespace was created: the mtime of its /run/netns entry (ip netns add makes it); undefined when gone.
export async function netnsCreatedAt(name: string): Promise<number | undefined> {
  try {
    return (await stat(`/run/netns/${name}`)).mtimeMs
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`stat /run/netns/${name}: ${(err as Error).message}`, { cause: err })
  }
}
