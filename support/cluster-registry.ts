// The one cluster of this cucumber worker: started in BeforeAll, used by every scenario's World.
import type { Cluster } from '../src/cluster/provider.ts'

let cluster: Cluster | undefined
let startError: Error | undefined

// Records the started cluster (or why it could not start).
export function setCluster(c: Cluster | undefined, err?: Error): void {
  cluster = c
  startError = err
}

// The running cluster; throws the start-up error when there is none.
export function currentCluster(): Cluster {
  if (cluster) return cluster
  throw new Error(
    startError
      ? `the cluster never started, so this scenario could not run: ${startError.message}`
      : 'no cluster: BeforeAll did not start one',
    { cause: startError },
  )
}

// The running cluster, or undefined when none was started.
export function startedCluster(): Cluster | undefined {
  return cluster
}
