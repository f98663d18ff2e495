// Builds a planned lab's network by running its actions; on failure removes what it created and says which step failed.
import { runBatch } from './command-batch.ts'
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
  const steps = actions.flatMap((action, i) => action.commands.map((argv) => ({ action, i, argv })))
  const failed = await runBatch(steps.map((s) => s.argv))
  if (!failed) return
  // A namespace counts as created as soon as its `ip netns add` succeeded, so rollback finds it.
  const created = steps
    .slice(0, failed.index)
    .filter((s) => s.argv[1] === 'netns' && s.argv[2] === 'add' && s.action.creates.includes(s.argv[3]!))
    .map((s) => s.argv[3]!)
  const rollbackProblems = opts.retain ? [] : await rollback(created)
  // The cause is a RunError with the argv, exit code and stderr of the command that failed.
  throw new LabNetworkError(steps[failed.index]!.action.description, failed.error, rollbackProblems)
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
