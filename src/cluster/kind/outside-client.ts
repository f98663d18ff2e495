// The client outside the cluster: a container on kind's docker network (testcontainers; its Ryuk reaper removes it
// even when the run is killed), which reaches every node IP as a user's machine on that network would.
import type { RunResult } from '../../exec/run.ts'

/** A started outside client. */
export interface OutsideClient {
  /** What it is, for logs: image and container name. */
  description: string
  // Runs a command in it; non-zero exits are returned, not thrown.
  run(argv: readonly string[], timeoutMs: number): Promise<RunResult>
  // Stops and removes it.
  stop(): Promise<void>
}

/** Starts an outside client on a docker network. */
export type OutsideClientFactory = (spec: {
  network: string
  image: string
  /** Labels on the container, so a leftover can be traced to its cluster. */
  labels: Record<string, string>
}) => Promise<OutsideClient>

// The argv run in the container: bounded by coreutils/busybox `timeout` (exit 124), since docker exec has no deadline.
export function boundedArgv(argv: readonly string[], timeoutMs: number): string[] {
  return ['timeout', String(Math.max(1, Math.ceil(timeoutMs / 1000))), ...argv]
}

// Runs argv in a testcontainers container as a RunResult: bounded by `timeout` when timeoutMs is given (an image
// without coreutils or busybox runs it unbounded: pass undefined).
export async function execInContainer(
  container: { exec(argv: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> },
  argv: readonly string[],
  timeoutMs: number | undefined,
): Promise<RunResult> {
  const started = Date.now()
  const full = timeoutMs === undefined ? [...argv] : boundedArgv(argv, timeoutMs)
  const r = await container.exec(full)
  return {
    argv: full,
    stdout: r.stdout,
    stderr: r.stderr,
    exitCode: r.exitCode,
    durationMs: Date.now() - started,
  }
}

// The curl that asks a kube-proxy's /healthz and prints only the HTTP code.
export function curlHealthz(host: string): string[] {
  return ['curl', '-sS', '-m', '2', '-o', '/dev/null', '-w', '%{http_code}', `http://${host}:10256/healthz`]
}

// The default factory: a testcontainers GenericContainer that sleeps, on the given network.
export const testcontainersOutsideClient: OutsideClientFactory = async ({ network, image, labels }) => {
  const { GenericContainer } = await import('testcontainers')
  const container = await new GenericContainer(image)
    .withNetworkMode(network)
    .withLabels(labels)
    .withCommand(['sleep', 'infinity'])
    .start()
  return {
    description: `${image} as ${container.getName()} on network ${network}`,
    run: (argv, timeoutMs) => execInContainer(container, argv, timeoutMs),
    stop: async () => {
      await container.stop()
    },
  }
}
