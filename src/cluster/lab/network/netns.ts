// Network namespaces on this machine: list them, the processes inside, and delete one completely.
import { rm, stat } from 'node:fs/promises'
import { run } from '../../../exec/run.ts'
import { stopProcesses } from '../processes.ts'
import { NAME_PREFIX } from '../names.ts'

// Lists the names of every named network namespace (`ip netns list`).
export async function listNetns(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list'])
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '')
}

// True when a named namespace exists (its /run/netns entry is there).
export async function netnsExists(name: string): Promise<boolean> {
  return pathExists(`/run/netns/${name}`)
}

// True when a path exists.
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw new Error(`stat ${path}: ${(err as Error).message}`, { cause: err })
  }
}

// Pids of every process inside a namespace (`ip netns pids`); empty when the namespace is gone.
export async function netnsPids(name: string): Promise<number[]> {
  if (!(await netnsExists(name))) return []
  const r = await run('ip', ['netns', 'pids', name], { allowFailure: true })
  if (r.exitCode !== 0) {
    if (!(await netnsExists(name))) return []
    throw new Error(`listing processes in namespace ${name} failed (exit ${r.exitCode}): ${r.stderr.trim()}`)
  }
  return r.stdout
    .split(/\s+/)
    .filter((s) => /^[0-9]+$/.test(s))
    .map(Number)
}

// Deletes a namespace completely: stops its processes, removes it and /etc/netns/<name>; returns what it removed.
export async function deleteNetns(name: string, graceMs = 5000): Promise<string[]> {
  if (!name.startsWith(NAME_PREFIX) || name.includes('/')) {
    throw new TypeError(`deleteNetns: refusing to delete "${name}", which is not an svcnet namespace name`)
  }
  const removed: string[] = []
  const pids = await netnsPids(name)
  if (pids.length > 0) {
    await stopProcesses(pids, `processes in namespace ${name}`, graceMs)
    removed.push(...pids.map((p) => `process ${p} (in ${name})`))
  }
  if (await netnsExists(name)) {
    const r = await run('ip', ['netns', 'delete', name], { allowFailure: true })
    if (r.exitCode !== 0 && (await netnsExists(name))) {
      throw new Error(`deleting namespace ${name} failed (exit ${r.exitCode}): ${r.stderr.trim()}`)
    }
    removed.push(name)
  }
  const etc = `/etc/netns/${name}`
  if (await pathExists(etc)) {
    await rm(etc, { recursive: true, force: true })
    removed.push(etc)
  }
  return removed
}
