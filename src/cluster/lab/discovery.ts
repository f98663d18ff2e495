// Finds running and leftover labs from the system itself (namespaces, /proc, /run/svcnet), not from a state file.
import { readdir, stat } from 'node:fs/promises'
import { listNetns, netnsPids } from './network/netns.ts'
import { findLabDaemons } from './processes.ts'
import { NAME_PREFIX, RUN_ROOT, parseLabNetns, parseRunDirName, runDirFor } from './names.ts'
import { netnsCreatedAt, ownerAlive, readOwner } from './owner.ts'

/** A lab found on this machine. */
export interface FoundLab {
  cluster: string
  runId: string
  /** Its network namespaces, sorted. */
  namespaces: string[]
  /** True when its `svcnet lab serve` daemon is running. */
  daemonAlive: boolean
  /** Pids of its daemon(s). */
  daemonPids: number[]
  /** Its host directory (which may or may not exist). */
  runDir: string
  /** Pid of the `lab up` still building or holding it, when that process is alive. */
  ownerPid?: number
  /** When it was begun (its owner record, else its oldest namespace), ms since the epoch; undefined when unknown. */
  createdAt?: number
}

/** Which lab runs to look at; absent fields match everything. */
export interface LabFilter {
  cluster?: string
  runId?: string
}

// True when (cluster, runId) passes the filter.
export function matches(filter: LabFilter, cluster: string, runId: string): boolean {
  return (
    (filter.cluster === undefined || filter.cluster === cluster) &&
    (filter.runId === undefined || filter.runId === runId)
  )
}

// Lists the entries of a directory; empty when it does not exist.
export async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new Error(`reading directory ${dir}: ${(err as Error).message}`, { cause: err })
  }
}

// A path's mtime in ms; undefined when it does not exist.
async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`stat ${path}: ${(err as Error).message}`, { cause: err })
  }
}

// Lists every lab on this machine: from svcnet namespaces, lab daemons in /proc and run directories.
export async function listLabs(filter: LabFilter = {}): Promise<FoundLab[]> {
  const labs = new Map<string, FoundLab>()
  const lab = (cluster: string, runId: string): FoundLab => {
    const key = `${cluster}\0${runId}`
    let found = labs.get(key)
    if (!found) {
      found = {
        cluster,
        runId,
        namespaces: [],
        daemonAlive: false,
        daemonPids: [],
        runDir: runDirFor(cluster, runId),
      }
      labs.set(key, found)
    }
    return found
  }
  for (const name of await listNetns()) {
    const parsed = parseLabNetns(name)
    if (parsed && matches(filter, parsed.cluster, parsed.runId))
      lab(parsed.cluster, parsed.runId).namespaces.push(name)
  }
  for (const d of await findLabDaemons()) {
    if (!matches(filter, d.cluster, d.runId)) continue
    const found = lab(d.cluster, d.runId)
    found.daemonAlive = true
    found.daemonPids.push(d.pid)
  }
  for (const base of await readdirIfExists(RUN_ROOT)) {
    const parsed = parseRunDirName(base)
    if (parsed && matches(filter, parsed.cluster, parsed.runId)) lab(parsed.cluster, parsed.runId)
  }
  for (const found of labs.values()) {
    found.namespaces.sort()
    const owner = await readOwner(found.runDir)
    if (owner && (await ownerAlive(owner))) found.ownerPid = owner.pid
    const times = [owner?.createdAt, await mtimeOf(found.runDir)]
    for (const ns of found.namespaces) times.push(await netnsCreatedAt(ns))
    const known = times.filter((t) => t !== undefined)
    if (known.length) found.createdAt = Math.min(...known)
  }
  return [...labs.values()].sort(
    (a, b) => a.cluster.localeCompare(b.cluster) || a.runId.localeCompare(b.runId),
  )
}

/** Anything svcnet-named still on the machine. */
export interface Leftovers {
  netns: string[]
  /** /etc/netns/<name> directories. */
  etcNetns: string[]
  /** Lab daemons and processes inside svcnet namespaces. */
  processes: number[]
  /** /run/svcnet/<cluster>-<runId> directories. */
  runDirs: string[]
}

// True when a name belongs to the filtered labs (any `svcnet-` name when the filter is empty).
function ours(filter: LabFilter, name: string): boolean {
  if (!name.startsWith(NAME_PREFIX)) return false
  if (filter.cluster === undefined && filter.runId === undefined) return true
  const parsed = parseLabNetns(name)
  return parsed !== undefined && matches(filter, parsed.cluster, parsed.runId)
}

// Lists everything svcnet-named still present (optionally only one cluster or run): proves cleanup worked.
export async function leftovers(filter: LabFilter = {}): Promise<Leftovers> {
  const netns = (await listNetns()).filter((n) => ours(filter, n)).sort()
  const etcNetns = (await readdirIfExists('/etc/netns'))
    .filter((n) => ours(filter, n))
    .map((n) => `/etc/netns/${n}`)
    .sort()
  const processes = new Set<number>()
  for (const d of await findLabDaemons()) if (matches(filter, d.cluster, d.runId)) processes.add(d.pid)
  for (const n of netns) for (const pid of await netnsPids(n)) processes.add(pid)
  const runDirs = (await readdirIfExists(RUN_ROOT))
    .filter((base) => {
      const parsed = parseRunDirName(base)
      return parsed !== undefined && matches(filter, parsed.cluster, parsed.runId)
    })
    .map((base) => `${RUN_ROOT}/${base}`)
    .sort()
  return { netns, etcNetns, processes: [...processes].sort((a, b) => a - b), runDirs }
}
