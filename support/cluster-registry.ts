// The one cluster of this cucumber worker: started in BeforeAll, used by every scenario's World.
import type { Cluster } from '../src/cluster/provider.ts'

let cluster: Cluster | undefined
let startErrorValue: Error | undefined

// Records the started cluster (or why it could not start).
export function setCluster(c: Cluster | undefined, err?: Error): void {
  cluster = c
  startErrorValue = err
}

// The running cluster; throws the start-up error when there is none.
export function currentCluster(): Cluster {
  if (cluster) return cluster
  throw new Error(
    startErrorValue
      ? `the cluster never started, so this scenario could not run: ${startErrorValue.message}`
      : 'no cluster: BeforeAll did not start one',
    { cause: startErrorValue },
  )
}

// The running cluster, or undefined when none was started.
export function startedCluster(): Cluster | undefined {
  return cluster
}

// Why the cluster did not start, when it did not.
export function startError(): Error | undefined {
  return startErrorValue
}
