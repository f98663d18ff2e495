// The run's one cluster, owned by the orchestrator (scripts/acceptance.ts): started before cucumber, handed to every
// worker through a handle file and a Unix socket, and removed (or kept) after cucumber ends, whatever became of it.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Cluster } from '../../src/cluster/provider.ts'
import { clusterIsKept, startCluster } from '../providers.ts'
import { runContext, writeRunContext } from '../report/run-context.ts'
import { handleOf, writeHandle } from './cluster-handle.ts'
import { serveCluster } from './cluster-server.ts'
import { keptClusterNotes } from './kept-cluster.ts'

/** A started (or failed) run cluster. */
export interface RunCluster {
  /** The handle file for cucumber (SVCNET_CLUSTER_HANDLE); it holds the reason when the cluster did not start. */
  handle: string
  cluster?: Cluster
  error?: Error
  // Stops serving, removes the cluster unless it is kept, and returns the lines telling how to use a kept one.
  finish(): Promise<string[]>
}

// Starts the provider's cluster, serves it to the workers and writes the handle and the run context.
export async function startRunCluster(
  provider: string,
  signal: AbortSignal,
  context: Record<string, string>,
): Promise<RunCluster> {
  // Only this user can enter the directory: the socket runs commands on the nodes.
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-run-'))
  const handle = join(dir, 'cluster.json')
  let cluster: Cluster | undefined
  let error: Error | undefined
  let stopServing = async () => {}
  try {
    cluster = await startCluster(provider, { signal, callerHandlesSignals: true })
    const socket = join(dir, 'cluster.sock')
    stopServing = await serveCluster(cluster, socket)
    writeHandle(handle, { cluster: handleOf(cluster, socket) })
  } catch (err) {
    error = err as Error
    process.stderr.write(`svcnet: the cluster did not start: ${error.message}\n`)
    writeHandle(handle, { error: error.message })
  }
  writeRunContext({ ...(await runContext(provider, cluster, error)), ...context })
  const finish = async (): Promise<string[]> => {
    await stopServing()
    await rm(dir, { recursive: true, force: true })
    if (!cluster) return []
    await cluster.destroy()
    return clusterIsKept(provider) ? keptClusterNotes(provider, cluster.name) : []
  }
  return { handle, ...(cluster ? { cluster } : {}), ...(error ? { error } : {}), finish }
}
