// Puts svcnet's proxy and DNS into a kind cluster (or leaves kind's own) and waits until both serve on every node.
import { readFile } from 'node:fs/promises'
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig } from '@kubernetes/client-node'
import { applyManifests, parseManifests } from '../../kube/apply.ts'
import { apiMessage, apiStatus } from '../../kube/api-status.ts'
import { splitKey } from '../../kube/object-key.ts'
import { waitFor, type Check } from '../../wait/wait-for.ts'
import type { ClusterNode } from '../provider.ts'
import { clusterNodeOf } from '../existing/nodes.ts'
import { clusterInfoConfigMap } from '../../kube/cluster-info.ts'
import { KIND_NETWORKING } from './config.ts'
import type { KindPlan } from './plan.ts'

/** What a provider deploys and waits for (the kind plan has it; k3s builds its own). */
export type DeployPlan = Pick<KindPlan, 'manifests' | 'deleteCoreDns' | 'waitFor'>

/** How long each wait may take, how often it looks, and what interrupts it. */
export interface DeployWaits {
  timeoutMs: number
  intervalMs: number
  signal?: AbortSignal
}

// The cluster's nodes as the API lists them: name, InternalIP, role.
export async function listClusterNodes(kc: KubeConfig): Promise<ClusterNode[]> {
  return (await kc.makeApiClient(CoreV1Api).listNode()).items.map(clusterNodeOf)
}

// Writes the svcnet-cluster ConfigMap, applies the plan's manifests and removes coredns when svcnet's DNS replaces it.
export async function deploySvcnet(
  kc: KubeConfig,
  plan: DeployPlan,
  nodes: readonly ClusterNode[],
): Promise<void> {
  const cp = nodes.find((n) => n.role === 'control-plane')
  if (!cp) throw new Error(`no control-plane node among ${nodes.map((n) => n.name).join(', ')}`)
  if (plan.manifests.length === 0) return
  const info = clusterInfoConfigMap({
    apiserver: `https://${cp.ip}:6443`,
    clusterCIDR: KIND_NETWORKING.podSubnet,
    serviceCIDR: KIND_NETWORKING.serviceSubnet,
  })
  await applyManifests(kc, [{ object: info, source: 'kind provider' }])
  for (const file of plan.manifests) {
    await applyManifests(kc, parseManifests(await readFile(file, 'utf8'), file))
  }
  if (plan.deleteCoreDns) {
    try {
      await kc
        .makeApiClient(AppsV1Api)
        .deleteNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' })
    } catch (err) {
      if (apiStatus(err)?.code !== 404) throw err
    }
  }
}

// Waits for: every node Ready, the proxy DaemonSet ready on each, each node's :10256/healthz, the DNS Deployment, kube-dns endpoints.
export async function waitUntilServing(
  kc: KubeConfig,
  plan: DeployPlan,
  nodes: readonly ClusterNode[],
  healthz: (node: ClusterNode) => Promise<string>,
  waits: DeployWaits,
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api)
  const apps = kc.makeApiClient(AppsV1Api)
  const discovery = kc.makeApiClient(DiscoveryV1Api)
  await waitFor({
    what: `${nodes.length} Ready nodes`,
    ...waits,
    check: seenApiErrors(async () => {
      const all = (await core.listNode()).items
      const ready = all.filter((n) =>
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      if (ready.length >= nodes.length) return { done: true, value: undefined }
      return {
        done: false,
        seen: `ready: [${ready.map((n) => n.metadata?.name).join(', ')}] of ${all.length}`,
      }
    }),
  })
  const ds = splitKey(plan.waitFor.proxyDaemonSet)
  await waitFor({
    what: `DaemonSet ${plan.waitFor.proxyDaemonSet} ready on ${nodes.length} nodes`,
    ...waits,
    check: seenApiErrors(async () => {
      const s = (await apps.readNamespacedDaemonSet(ds)).status
      if ((s?.numberReady ?? 0) >= nodes.length) return { done: true, value: undefined }
      return {
        done: false,
        seen: `numberReady=${s?.numberReady ?? 0}, desired=${s?.desiredNumberScheduled ?? '?'}`,
      }
    }),
  })
  for (const node of nodes) {
    await waitFor({
      what: `kube-proxy /healthz on ${node.name} (127.0.0.1:10256 inside the node)`,
      ...waits,
      check: async () => {
        const code = (await healthz(node)).trim()
        return code === '200'
          ? { done: true, value: undefined }
          : { done: false, seen: `HTTP ${code || '-'}` }
      },
    })
  }
  const dns = splitKey(plan.waitFor.dnsDeployment)
  await waitFor({
    what: `Deployment ${plan.waitFor.dnsDeployment} ready`,
    ...waits,
    check: seenApiErrors(async () => {
      const d = await apps.readNamespacedDeployment(dns)
      const want = d.spec?.replicas ?? 1
      const ready = d.status?.readyReplicas ?? 0
      if (ready >= want) return { done: true, value: undefined }
      return { done: false, seen: `readyReplicas=${ready}, replicas=${want}` }
    }),
  })
  await waitFor({
    what: 'a ready endpoint behind the kube-dns Service',
    ...waits,
    check: seenApiErrors(async () => {
      const slices = await discovery.listNamespacedEndpointSlice({
        namespace: 'kube-system',
        labelSelector: 'kubernetes.io/service-name=kube-dns',
      })
      const ready = slices.items.flatMap((s) =>
        (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false),
      )
      if (ready.length > 0) return { done: true, value: undefined }
      return { done: false, seen: `${slices.items.length} EndpointSlices, no ready endpoint` }
    }),
  })
}

// A check whose API errors become what was last seen, in one line (404 "not found" while kind creates things is normal).
function seenApiErrors<T>(check: () => Promise<Check<T>>): () => Promise<Check<T>> {
  return async () => {
    try {
      return await check()
    } catch (err) {
      return { done: false, seen: apiMessage(err) }
    }
  }
}
