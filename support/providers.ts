// Starts the cluster the suite runs on, by provider name, with the provider's SVCNET_* settings.
import { startLabCluster } from '../src/cluster/lab/lab-cluster.ts'
import type { Cluster } from '../src/cluster/provider.ts'
import { DEFAULT_LAB_CONFIG, newRunId } from '../src/cluster/lab/network/plan.ts'

// The provider names the suite accepts and what each one does.
export const PROVIDERS: Record<string, string> = {
  lab: 'a cluster of network namespaces on this machine (root; no Docker)',
  kind: "a kind cluster with svcnet's kube-proxy and DNS (Docker and kind; SVCNET_KIND_* settings)",
  existing: 'the current kubeconfig context, as it runs (SVCNET_ALLOW_PRIVILEGED=1 for node access)',
  k3s: "one k3s node in a container, its kube-proxy and CoreDNS off, svcnet's deployed (Docker)",
}

/** How the cluster is started. */
export interface StartClusterOptions {
  /** Aborting it (Ctrl-C) stops a lab that is still starting; the lab then removes what it built. */
  signal?: AbortSignal
  /** The caller handles Ctrl-C and removes the cluster itself (scripts/acceptance.ts); else kind and existing do. */
  callerHandlesSignals?: boolean
}

// True when an SVCNET_* switch is on.
const on = (v: string | undefined) => v === '1' || v === 'true'

// Starts a cluster with the named provider; an unknown provider is an error listing the known ones.
// Lab settings: SVCNET_LAB_NAME, SVCNET_KUBE_PROXY=off, SVCNET_LAB_KEEP=1 (destroy() leaves it running),
// SVCNET_LAB_REUSE=NAME (run on that running lab; never removed).
export async function startCluster(provider: string, opts: StartClusterOptions = {}): Promise<Cluster> {
  const env = process.env
  const teardownOnSignal = opts.callerHandlesSignals !== true
  if (provider === 'lab') {
    if (env.SVCNET_LAB_REUSE) {
      const { reuseLab } = await import('./run/kept-cluster.ts')
      return reuseLab(env.SVCNET_LAB_REUSE)
    }
    const lab = await startLabCluster({
      cluster: env.SVCNET_LAB_NAME ?? 'suite',
      workers: DEFAULT_LAB_CONFIG.workers,
      kubeProxy: env.SVCNET_KUBE_PROXY !== 'off',
      log: (m) => process.stderr.write(`svcnet lab: ${m}\n`),
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
    return on(env.SVCNET_LAB_KEEP) ? { ...lab, destroy: async () => {} } : lab
  }
  if (provider === 'kind') {
    const { startKindCluster } = await import('../src/cluster/kind/kind-cluster.ts')
    const { kindOptionsFromEnv } = await import('../src/cluster/kind/options.ts')
    return startKindCluster({
      options: kindOptionsFromEnv(env, newRunId()),
      log: (m) => process.stderr.write(`svcnet kind: ${m}\n`),
      teardownOnSignal,
    })
  }
  if (provider === 'existing') {
    const { startExistingCluster } = await import('../src/cluster/existing/existing-cluster.ts')
    const { existingOptionsFromEnv } = await import('../src/cluster/existing/options.ts')
    return startExistingCluster({
      ...existingOptionsFromEnv(env, newRunId()),
      log: (m) => process.stderr.write(`svcnet existing: ${m}\n`),
      teardownOnSignal,
    })
  }
  if (provider === 'k3s') {
    const { startK3sCluster } = await import('../src/cluster/k3s/k3s-cluster.ts')
    return startK3sCluster(undefined, (m) => process.stderr.write(`svcnet k3s: ${m}\n`))
  }
  throw new Error(
    `unknown provider "${provider}" (SVCNET_PROVIDER); known: ${Object.entries(PROVIDERS)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ')}`,
  )
}

// True when the cluster stays after the run (kept, or reused): then it is not checked for leftovers either.
export function clusterIsKept(provider: string): boolean {
  const env = process.env
  if (provider === 'lab') return on(env.SVCNET_LAB_KEEP) || Boolean(env.SVCNET_LAB_REUSE)
  if (provider === 'kind') return on(env.SVCNET_KIND_KEEP) || Boolean(env.SVCNET_KIND_REUSE)
  return false
}
