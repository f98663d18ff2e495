// Destroys labs: stops their daemon and every process in their namespaces, deletes namespaces and files. Idempotent.
import { rm } from 'node:fs/promises'
import { listNetns, netnsPids, deleteNetns, pathExists } from './network/netns.ts'
import { stopProcesses } from './processes.ts'
import { unexportKubeconfig } from './kubeconfig-export.ts'
import { labContextName } from '../../kube/kubeconfig-render.ts'
import { listLabs, readdirIfExists, type FoundLab } from './discovery.ts'
import { DNS_LABEL_PATTERN, RUN_ID_PATTERN, parseLabNetns, type LabNetnsKind } from './names.ts'

/** How long processes get between SIGTERM and SIGKILL. */
const GRACE_MS = 5000

// Deletion order: pods before their nodes, the switch last.
const ORDER: Record<LabNetnsKind, number> = { pod: 0, node: 1, outside: 2, switch: 3 }

// Thrown when a teardown could not remove everything; lists each problem and what was removed.
export class LabTeardownError extends Error {
  readonly problems: readonly string[]
  readonly removed: readonly string[]
  constructor(problems: readonly string[], removed: readonly string[]) {
    super(`lab teardown left things behind:\n  - ${problems.join('\n  - ')}`)
    this.name = 'LabTeardownError'
    this.problems = problems
    this.removed = removed
  }
}

// Destroys one lab run; pushes problems instead of stopping at the first.
async function destroyOne(lab: FoundLab, removed: string[], problems: string[]): Promise<void> {
  const label = `lab ${lab.cluster} run ${lab.runId}`
  try {
    await stopProcesses(lab.daemonPids, `daemon of ${label}`, GRACE_MS)
    removed.push(...lab.daemonPids.map((p) => `process ${p} (daemon of ${label})`))
  } catch (err) {
    problems.push(`stopping the daemon of ${label}: ${(err as Error).message}`)
  }
  // Listed again: the daemon may have created or removed namespaces before it stopped.
  const namespaces = (await listNetns())
    .map((name) => ({ name, parsed: parseLabNetns(name) }))
    .filter(({ parsed }) => parsed?.cluster === lab.cluster && parsed.runId === lab.runId)
    .sort((a, b) => ORDER[a.parsed!.kind] - ORDER[b.parsed!.kind] || a.name.localeCompare(b.name))
    .map(({ name }) => name)
  // Stop every process of the lab at once so that their grace periods overlap.
  const pids: number[] = []
  for (const ns of namespaces) pids.push(...(await netnsPids(ns)))
  try {
    await stopProcesses(pids, `processes in the namespaces of ${label}`, GRACE_MS)
  } catch (err) {
    problems.push((err as Error).message)
  }
  for (const ns of namespaces) {
    try {
      removed.push(...(await deleteNetns(ns, GRACE_MS)))
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  // /etc/netns directories whose namespace is already gone.
  for (const base of await readdirIfExists('/etc/netns')) {
    const parsed = parseLabNetns(base)
    if (parsed?.cluster !== lab.cluster || parsed.runId !== lab.runId) continue
    try {
      removed.push(...(await deleteNetns(base, GRACE_MS)))
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  if (await pathExists(lab.runDir)) {
    try {
      const context = labContextName(lab.cluster)
      const files = await unexportKubeconfig(lab.runDir, context)
      removed.push(...files.map((f) => `context ${context} in ${f}`))
    } catch (err) {
      problems.push(`removing the lab's context from kubeconfig files: ${(err as Error).message}`)
    }
    try {
      await rm(lab.runDir, { recursive: true, force: true })
      removed.push(lab.runDir)
    } catch (err) {
      problems.push(`removing ${lab.runDir}: ${(err as Error).message}`)
    }
  }
}

// Destroys every run of a cluster (or one run): daemon, processes, namespaces, /etc/netns dirs, run dir. Safe to repeat.
export async function destroyLab(cluster: string, runId?: string): Promise<{ removed: string[] }> {
  if (!DNS_LABEL_PATTERN.test(cluster))
    throw new TypeError(`destroyLab: cluster must be a DNS label, got "${cluster}"`)
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId)) {
    throw new TypeError(`destroyLab: runId must be 4 to 6 lowercase hex characters, got "${runId}"`)
  }
  const removed: string[] = []
  const problems: string[] = []
  for (const lab of await listLabs({ cluster, runId })) await destroyOne(lab, removed, problems)
  if (problems.length > 0) throw new LabTeardownError(problems, removed)
  return { removed }
}

/** Which labs reapLabs removes. */
export interface ReapOptions {
  /** Also destroy labs whose daemon or `lab up` is running. @default false */
  includeLive?: boolean
  /** A lab younger than this may still be starting (its owner record not yet written): left alone. @default 30000 */
  graceMs?: number
  /** @default Date.now() */
  now?: number
}

// Why a lab is left alone by reapLabs, or undefined when it is a leftover of a crashed run.
export function reapRefusal(lab: FoundLab, now: number, graceMs: number): string | undefined {
  if (lab.daemonAlive) return `its daemon runs (pid ${lab.daemonPids.join(', ')})`
  if (lab.ownerPid !== undefined) return `lab up (pid ${lab.ownerPid}) is still building it`
  if (lab.createdAt === undefined || now - lab.createdAt < graceMs) {
    return lab.createdAt === undefined
      ? 'its age is unknown'
      : `it was begun ${Math.round((now - lab.createdAt) / 1000)}s ago (grace ${graceMs / 1000}s)`
  }
  return undefined
}

// Destroys leftovers of crashed runs (no daemon, no live `lab up`, older than the grace period), or every svcnet lab with includeLive.
export async function reapLabs(opts: ReapOptions = {}): Promise<string[]> {
  const removed: string[] = []
  const problems: string[] = []
  const now = opts.now ?? Date.now()
  for (const lab of await listLabs()) {
    if (!opts.includeLive && reapRefusal(lab, now, opts.graceMs ?? 30_000) !== undefined) continue
    await destroyOne(lab, removed, problems)
  }
  if (problems.length > 0) throw new LabTeardownError(problems, removed)
  return removed
}
