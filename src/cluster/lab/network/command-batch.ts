// Runs a list of commands in one `sh -e`: one process start from Node instead of one per command (each costs the
// daemon or `lab up` 10–30 ms of CPU); every command is preceded by its index on stdout, so a failure names it.
import { run } from '../../../exec/run.ts'
import { RunError, shellQuote } from '../../../exec/run-error.ts'

/** The command of a batch that failed: its index and a RunError with its argv, exit code and stderr. */
export interface BatchFailure {
  index: number
  error: RunError
}

// The shell script that runs the commands in order, stopping at the first failure (pure).
export function batchScript(commands: readonly (readonly string[])[]): string {
  return ['set -e', ...commands.flatMap((argv, i) => [`echo ${i}`, `${shellQuote(argv)} >&2`])].join('\n')
}

// Runs the commands in order; undefined when all succeeded, else which one failed and how.
export async function runBatch(commands: readonly (readonly string[])[]): Promise<BatchFailure | undefined> {
  if (commands.length === 0) return undefined
  const r = await run('sh', ['-c', batchScript(commands)], { allowFailure: true })
  if (r.exitCode === 0) return undefined
  const last = /(\d+)\s*$/.exec(r.stdout)
  const index = last ? Number(last[1]) : 0
  const argv = commands[index] ?? ['sh', '-c', '…']
  return {
    index,
    error: new RunError({ argv, exitCode: r.exitCode, stdout: '', stderr: r.stderr, timedOut: false }),
  }
}
