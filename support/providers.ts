// Starts the cluster the suite runs on, by provider name.
import { startLabCluster } from '../src/cluster/lab/lab-cluster.ts'
import type { Cluster } from '../src/cluster/provider.ts'
import { DEFAULT_LAB_CONFIG } from '../src/cluster/lab/network/plan.ts'

// The provider names the suite accepts and what each one does.
export const PROVIDERS: Record<string, string> = {
  lab: 'a cluster of network namespaces on this machine (root; no Docker)',
}

// Starts a cluster with the named provider; an unknown provider is an error listing the known ones.
export async function startCluster(provider: string): Promise<Cluster> {
  if (provider === 'lab') {
    return startLabCluster({
      cluster: process.env.SVCNET_LAB_NAME ?? 'suite',
      workers: DEFAULT_LAB_CONFIG.workers,
      kubeProxy: process.env.SVCNET_KUBE_PROXY !== 'off',
      log: (m) => process.stderr.write(`svcnet lab: ${m}\n`),
    })
  }
  throw new Error(
    `unknown provider "${provider}" (SVCNET_PROVIDER); known: ${Object.entries(PROVIDERS)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ')}`,
  )
}
