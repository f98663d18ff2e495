// Starts the cluster the suite runs on, by provider name.
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
  if (provider === 'kind') {
    const { startKindCluster } = await import('../src/cluster/kind/kind-cluster.ts')
    const { kindOptionsFromEnv } = await import('../src/cluster/kind/options.ts')
    return startKindCluster({
      options: kindOptionsFromEnv(process.env, newRunId()),
      log: (m) => process.stderr.write(`svcnet kind: ${m}\n`),
    })
  }
  if (provider === 'existing') {
    const { startExistingCluster } = await import('../src/cluster/existing/existing-cluster.ts')
    const { existingOptionsFromEnv } = await import('../src/cluster/existing/options.ts')
    return startExistingCluster({
      ...existingOptionsFromEnv(process.env, newRunId()),
      log: (m) => process.stderr.write(`svcnet existing: ${m}\n`),
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
