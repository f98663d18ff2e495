// How many cucumber workers a run uses: --parallel as given to cucumber, else SVCNET_PARALLEL, else the default.
import { DEFAULT_PARALLEL } from '../../src/cli/test-options.ts'

// Cucumber's arguments with the number of workers added (none for one: cucumber then runs in its own process).
export function withWorkers(args: readonly string[], env: Record<string, string | undefined>): string[] {
  if (args.some((a) => a === '--parallel' || a.startsWith('--parallel='))) return [...args]
  const raw = env.SVCNET_PARALLEL ?? String(DEFAULT_PARALLEL)
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`SVCNET_PARALLEL=${raw}: want a whole number of workers from 1`)
  return n > 1 ? [...args, '--parallel', String(n)] : [...args]
}

// The number of workers the arguments ask for (1 without --parallel).
export function workersOf(args: readonly string[]): number {
  const i = args.findIndex((a) => a === '--parallel' || a.startsWith('--parallel='))
  if (i < 0) return 1
  const value = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1]
  return Number(value) || 1
}
