// Breaking one component of a running cluster on purpose (and mending it), to show how a scenario then fails.
import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node'
import type { Cluster } from '../../src/cluster/provider.ts'
import { waitFor } from '../../src/wait/wait-for.ts'

/** What can be broken: the cluster DNS stopped, a node's nat table flushed (kube-proxy frozen), the app at 0. */
export const BREAKS = ['dns', 'nat', 'app'] as const
/** One of BREAKS. */
export type BreakKind = (typeof BREAKS)[number]

/** What a scenario breaks: its name → the break (SVCNET_BREAK holds it as JSON). */
export type BreakPlan = Record<string, BreakKind>

// Reads SVCNET_BREAK (`{"<scenario name>": "dns" | "nat" | "app"}`); throws on anything else.
export function breakPlan(text: string | undefined): BreakPlan {
  if (!text) return {}
  const plan = JSON.parse(text) as unknown
  if (!plan || typeof plan !== 'object' || Array.isArray(plan))
    throw new Error(`SVCNET_BREAK must be a JSON object of scenario name → break, not ${text}`)
  for (const [name, kind] of Object.entries(plan))
    if (!BREAKS.includes(kind as BreakKind))
      throw new Error(
        `SVCNET_BREAK: scenario "${name}" asks for break "${kind}"; breaks are ${BREAKS.join(', ')}`,
      )
  return plan as BreakPlan
}

// The pid in `ss -Hltnp` output (users:(("node",pid=123,fd=20))), or undefined.
export function listenerPid(ss: string): number | undefined {
  const m = /pid=(\d+)/.exec(ss)
  return m ? Number(m[1]) : undefined
}

/** What a break needs to reach. */
export interface BreakTarget {
  cluster: Cluster
  namespace: string
  /** The scenario's deployment, for the `app` break. */
  deployment?: { name: string; labels: Record<string, string> }
}

// Breaks it; returns how to mend it and a sentence of what was done (attached to the scenario by the hook).
export async function breakComponent(
  kind: BreakKind,
  t: BreakTarget,
): Promise<{ done: string; mend: () => Promise<void> }> {
  const apps = t.cluster.kubeConfig.makeApiClient(AppsV1Api)
  const core = t.cluster.kubeConfig.makeApiClient(CoreV1Api)
  if (kind === 'dns') {
    const dns = (await apps.listNamespacedDeployment({ namespace: 'kube-system' })).items.find(
      (d) => d.spec?.selector?.matchLabels?.['k8s-app'] === 'kube-dns',
    )
    if (!dns) throw new Error('break dns: no kube-system deployment selects k8s-app=kube-dns')
    const replicas = dns.spec?.replicas ?? 1
    await scale(apps, core, dns, 0)
    return {
      done: `stopped the cluster DNS: deployment kube-system/${dns.metadata!.name} scaled from ${replicas} to 0, its pods gone`,
      mend: () => scale(apps, core, dns, replicas),
    }
  }
  if (kind === 'app') {
    if (!t.deployment) throw new Error('break app: the scenario has no deployment (yet)')
    const d = await apps.readNamespacedDeployment({ name: t.deployment.name, namespace: t.namespace })
    await scale(apps, core, d, 0)
    return {
      done: `scaled deployment ${t.namespace}/${t.deployment.name} to 0, its pods gone`,
      mend: async () => {},
    }
  }
  const node = t.cluster.nodes.find((n) => n.role === 'worker') ?? t.cluster.nodes[0]!
  // kube-proxy restores a flushed table at its next sync; frozen first, it cannot (it listens on :10256 for health).
  const ss = await t.cluster.runOnNode(node.name, ['ss', '-Hltnp', 'sport = :10256'])
  const pid = listenerPid(ss.stdout)
  if (pid === undefined)
    throw new Error(`break nat: no kube-proxy listens on ${node.name}:10256 (ss: ${ss.stdout})`)
  await t.cluster.runOnNode(node.name, ['kill', '-STOP', String(pid)])
  await t.cluster.runOnNode(node.name, ['iptables', '-t', 'nat', '-F'])
  return {
    done: `froze the kube-proxy of ${node.name} (pid ${pid}, SIGSTOP) and flushed that node's nat table (iptables -t nat -F)`,
    mend: async () => {
      await t.cluster.runOnNode(node.name, ['kill', '-CONT', String(pid)])
    },
  }
}

// Sets a deployment's replicas and waits until it has exactly that many pods, all available.
async function scale(apps: AppsV1Api, core: CoreV1Api, d: V1Deployment, replicas: number): Promise<void> {
  const name = d.metadata!.name!
  const namespace = d.metadata!.namespace!
  await apps.replaceNamespacedDeploymentScale({
    name,
    namespace,
    body: { metadata: { name, namespace }, spec: { replicas } },
  })
  const selector = Object.entries(d.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  await waitFor({
    what: `deployment ${namespace}/${name} to have ${replicas} pods, all available`,
    timeoutMs: 60_000,
    intervalMs: 250,
    check: async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items
      const now = await apps.readNamespacedDeployment({ name, namespace })
      const available = now.status?.availableReplicas ?? 0
      if (pods.length === replicas && available === replicas) return { done: true, value: undefined }
      return { done: false, seen: `${pods.length} pods, ${available} available` }
    },
  })
}
