// Builds a planned lab's network by running its actions; on failure removes what it created and says which step failed.
import { run } from '../../../exec/run.ts'
import { RunError, shellQuote } from '../../../exec/run-error.ts'
import type { LabTopology } from './topology.ts'
import { planActions, type Action } from './actions.ts'
import { listNetns, deleteNetns } from './netns.ts'

// Thrown when building the lab network fails: names the step, wraps the command's error.
export class LabNetworkError extends Error {
  readonly action: string
  constructor(action: string, cause: unknown, rollback: string[]) {
    const why = cause instanceof Error ? cause.message : String(cause)
    const undo = rollback.length > 0 ? `\nrollback also failed:\n  ${rollback.join('\n  ')}` : ''
    super(`failed to ${action}: ${why}${undo}`, { cause })
    this.name = 'LabNetworkError'
    this.action = action
  }
}

/** How to build the network. */
export interface CreateLabNetworkOptions {
  /** Keep what was created when a step fails (for debugging). @default false */
  retain?: boolean
  /** The actions to run. @default planActions(topology) */
  actions?: readonly Action[]
}

// Creates the lab network: switch bridge, node namespaces with pod bridges and routes, the outside client.
export async function createLabNetwork(
  topology: LabTopology,
  opts: CreateLabNetworkOptions = {},
): Promise<void> {
  const existing = (await listNetns()).filter((n) => n.startsWith(topology.prefix))
  if (existing.length > 0) {
    throw new LabNetworkError(
      `create the network of lab ${topology.cluster} run ${topology.runId}`,
      new Error(`namespaces with prefix ${topology.prefix} already exist: ${existing.join(' ')}`),
      [],
    )
  }
  const actions = opts.actions ?? planActions(topology)
  const failed = await runAll(actions)
  if (!failed) return
  // A namespace counts as created as soon as its `ip netns add` succeeded, so rollback finds it.
  const created: string[] = []
  actions.forEach((action, i) =>
    action.commands.forEach((argv, j) => {
      const before = i < failed.action || (i === failed.action && j < failed.command)
      if (before && argv[1] === 'netns' && argv[2] === 'add' && action.creates.includes(argv[3]!))
        created.push(argv[3]!)
    }),
  )
  const rollbackProblems = opts.retain ? [] : await rollback(created)
  // The cause is a RunError with the argv, exit code and stderr of the command that failed.
  throw new LabNetworkError(actions[failed.action]!.description, failed.error, rollbackProblems)
}

/** Which command of which action failed, and how. */
interface Failure {
  action: number
  command: number
  error: unknown
}

// Runs every command in one `sh -e` (about 50 `ip` commands: one process start from Node instead of 50, ≈ 0.6 s
// less of `lab up`); each command is preceded by its index on stdout, so a failure names its command.
async function runAll(actions: readonly Action[]): Promise<Failure | undefined> {
  const lines = ['set -e']
  actions.forEach((a, i) =>
    a.commands.forEach((argv, j) => lines.push(`echo ${i}.${j}`, `${shellQuote(argv)} >&2`)),
  )
  const r = await run('sh', ['-c', lines.join('\n')], { allowFailure: true })
  if (r.exitCode === 0) return undefined
  const last = /(\d+)\.(\d+)\s*$/.exec(r.stdout)
  const [action, command] = last ? [Number(last[1]), Number(last[2])] : [0, 0]
  const argv = actions[action]?.commands[command] ?? ['sh']
  const error = new RunError({
    argv,
    exitCode: r.exitCode,
    stdout: '',
    stderr: r.stderr,
    timedOut: false,
  })
  return { action, command, error }
}

// Deletes the namespaces a failed creation made, newest first; returns what could not be removed.
async function rollback(created: readonly string[]): Promise<string[]> {
  const problems: string[] = []
  for (const ns of [...created].reverse()) {
    try {
      await deleteNetns(ns)
    } catch (err) {
      problems.push(`${ns}: ${(err as Error).message}`)
    }
  }
  return problems
}
