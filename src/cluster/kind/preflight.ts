// Checks that kind and a running Docker daemon are there, with install instructions when they are not.
import { run } from '../../exec/run.ts'
import { RunError } from '../../exec/run-error.ts'
import type { PlannedCommand } from './plan.ts'

/** Where to get what is missing. */
export const INSTALL_HINTS = {
  kind: 'install kind (one static binary): https://kind.sigs.k8s.io/docs/user/quick-start/#installation, e.g. `go install sigs.k8s.io/kind@latest`; on GitHub Actions the hosted ubuntu runners have Docker, add kind with helm/kind-action or the release binary',
  docker:
    'install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop; kind runs every node as a container',
  daemon:
    'start the Docker daemon (`sudo systemctl start docker`, or open Docker Desktop) and check that `docker info` works for this user',
} as const

// Thrown when a tool the kind provider needs is missing or not running; the message says how to fix it.
export class KindPrerequisiteError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options)
    this.name = 'KindPrerequisiteError'
  }
}

// Explains why a preflight command failed: not installed, daemon not running, or the command's own error.
export function explainPreflightFailure(cmd: PlannedCommand, err: unknown): KindPrerequisiteError {
  const tool = cmd.argv[0]!
  const notStarted = err instanceof RunError && err.exitCode === undefined && !err.timedOut && !err.signal
  if (notStarted) {
    const hint = tool === 'kind' ? INSTALL_HINTS.kind : INSTALL_HINTS.docker
    return new KindPrerequisiteError(`the kind provider needs \`${tool}\`, which is not on PATH: ${hint}`, {
      cause: err,
    })
  }
  const said = err instanceof RunError ? (err.stderr.trim() || err.stdout.trim()).split('\n')[0] : undefined
  if (tool === 'docker') {
    return new KindPrerequisiteError(
      `the Docker daemon is not reachable (\`docker info\`: ${said || (err as Error).message}): ${INSTALL_HINTS.daemon}`,
      { cause: err },
    )
  }
  return new KindPrerequisiteError(`${cmd.what} failed: ${(err as Error).message}`, { cause: err })
}

// Runs the plan's preflight commands in order; the first failure is thrown, explained.
export async function preflight(commands: readonly PlannedCommand[]): Promise<string[]> {
  const seen: string[] = []
  for (const cmd of commands) {
    try {
      const r = await run(cmd.argv[0]!, cmd.argv.slice(1), { timeoutMs: 20_000 })
      seen.push(r.stdout.trim())
    } catch (err) {
      throw explainPreflightFailure(cmd, err)
    }
  }
  return seen
}
