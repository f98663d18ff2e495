// The run's one cluster as the cucumber workers find it: a JSON file the orchestrator writes before cucumber starts.
import { readFileSync, writeFileSync } from 'node:fs'
import type { Cluster, ClusterNode } from '../../src/cluster/provider.ts'

/** The environment variable naming the handle file; set by scripts/acceptance.ts for cucumber. */
export const HANDLE_ENV = 'SVCNET_CLUSTER_HANDLE'

/** A started cluster, as a worker attaches to it. */
export interface ClusterHandle {
  provider: string
  name: string
  /** The kubeconfig, as text (KubeConfig.exportConfig()). */
  kubeconfig: string
  nodes: ClusterNode[]
  capabilities: string[]
  /** The Unix socket where the orchestrator runs commands outside the cluster and on its nodes. */
  socket: string
}

/** What the handle file holds: the cluster, or why it never started (every scenario then fails with that reason). */
export type HandleFile = { cluster: ClusterHandle } | { error: string }

// The handle of a started cluster served on `socket`.
export function handleOf(cluster: Cluster, socket: string): ClusterHandle {
  return {
    provider: cluster.provider,
    name: cluster.name,
    kubeconfig: cluster.kubeConfig.exportConfig(),
    nodes: cluster.nodes,
    capabilities: [...cluster.capabilities],
    socket,
  }
}

// Writes the handle file (mode 0600: it carries the cluster's credentials).
export function writeHandle(path: string, handle: HandleFile): void {
  writeFileSync(path, `${JSON.stringify(handle, null, 2)}\n`, { mode: 0o600 })
}

// Reads a handle file; a file that is missing or not a handle is an error naming it.
export function readHandle(path: string): HandleFile {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`reading the run's cluster handle ${path} (${HANDLE_ENV}): ${(err as Error).message}`, {
      cause: err,
    })
  }
  const h = parsed as Partial<{ cluster: ClusterHandle; error: string }>
  if (typeof h.error === 'string') return { error: h.error }
  if (h.cluster && typeof h.cluster.socket === 'string' && Array.isArray(h.cluster.nodes))
    return { cluster: h.cluster }
  throw new Error(`${path} (${HANDLE_ENV}) is not a cluster handle: ${JSON.stringify(parsed).slice(0, 200)}`)
}
