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
    run: async (argv, timeoutMs) => {
      const started = Date.now()
      const full = boundedArgv(argv, timeoutMs)
      const r = await container.exec(full)
      return {
        argv: full,
        stdout: r.stdout,
        stderr: r.stderr,
        exitCode: r.exitCode,
        durationMs: Date.now() - started,
      }
    },
    stop: async () => {
      await container.stop()
    },
  }
}
