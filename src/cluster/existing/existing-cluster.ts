// The existing provider: the current kubeconfig context, checked as it is (its own kube-proxy and DNS); node access only
// through privileged node shells the user allowed, removed afterwards.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { run } from '../../exec/run.ts'
import { applyManifests } from '../../kube/apply.ts'
import { apiMessage, apiStatus } from '../../kube/api-status.ts'
import { waitFor } from '../../wait/wait-for.ts'
import type { Cluster } from '../provider.ts'
import { existingCapabilities } from './capabilities-of.ts'
import { clusterNodeOf, isSchedulable } from './nodes.ts'
import { onInterrupt } from './on-interrupt.ts'
import { nodeShellArgv, planNodeShells, type NodeShellPlan } from './node-shell.ts'
import type { ExistingOptions } from './options.ts'

// Connects to the context, reads its nodes, creates node shells when allowed, and returns the Cluster.
export async function startExistingCluster(o: ExistingOptions): Promise<Cluster> {
  const log = o.log ?? (() => {})
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromDefault()
  if (o.context) kubeConfig.setCurrentContext(o.context)
  const context = kubeConfig.getCurrentContext()
  // client-node falls back to a made-up context at http://localhost:8080 when it finds no kubeconfig at all.
  const fallback =
    context === 'loaded-context' && kubeConfig.getCurrentCluster()?.server === 'http://localhost:8080'
  if (!context || !kubeConfig.getCurrentCluster() || fallback) {
    throw new Error(
      'the existing provider runs on the current kubeconfig context, and there is none (set KUBECONFIG or create ~/.kube/config; `kubectl config current-context` shows it)',
    )
  }
  const core = kubeConfig.makeApiClient(CoreV1Api)
  let apiNodes
  try {
    apiNodes = (await core.listNode()).items
  } catch (err) {
    throw new Error(
      `existing provider: cannot list nodes in context ${context} (${kubeConfig.getCurrentCluster()?.server}): ${apiMessage(err)}`,
      { cause: err },
    )
  }
  const nodes = apiNodes.map(clusterNodeOf)
  const { capabilities, missing } = existingCapabilities({
    schedulableNodes: apiNodes.filter(isSchedulable).length,
    allowPrivileged: o.allowPrivileged,
    outside: o.outside,
    loadBalancer: o.loadBalancer,
  })
  log(`context ${context}: ${nodes.length} nodes (${nodes.map((n) => n.name).join(', ')})`)
  for (const m of missing) log(`without ${m.capability}: ${m.why}`)
  let shells: NodeShellPlan | undefined
  let unregister = () => {}
  // One teardown, however many callers (the suite, a failed start-up, Ctrl-C): they all wait for the same one.
  let teardown: Promise<void> | undefined
  const destroy = (): Promise<void> => (teardown ??= removeShells())
  const removeShells = async (): Promise<void> => {
    const ns = shells?.namespace
    try {
      if (ns) await core.deleteNamespace({ name: ns })
      if (ns) log(`deleted namespace ${ns}`)
    } catch (err) {
      if (apiStatus(err)?.code !== 404)
        throw new Error(`deleting namespace ${ns}: ${apiMessage(err)}`, { cause: err })
    } finally {
      unregister()
    }
  }
  if (o.allowPrivileged) {
    shells = planNodeShells(
      nodes.map((n) => n.name),
      o.runId,
      o.nodeShellImage,
    )
    const interrupted = new AbortController()
    // Ctrl-C from here on removes the namespace, so nothing privileged outlives the run.
    if (o.teardownOnSignal !== false) {
      unregister = onInterrupt(`namespace ${shells.namespace}`, interrupted, destroy, log)
    }
    log(`creating a privileged node shell per node in namespace ${shells.namespace}`)
    try {
      await applyManifests(
        kubeConfig,
        shells.objects.map((object) => ({ object, source: 'existing provider node shells' })),
      )
      await waitForShells(core, shells, o.timeoutMs ?? 120_000, interrupted.signal)
    } catch (err) {
      await destroy()
      throw err
    }
  }
  const plan = shells
  return {
    provider: 'existing',
    name: context,
    kubeConfig,
    nodes,
    capabilities,
    runOutside: async (argv, timeoutMs = 15_000) => {
      if (o.outside !== 'host')
        throw new Error('the existing provider has no outside client (see --outside host)')
      return run(argv[0]!, argv.slice(1), { allowFailure: true, timeoutMs })
    },
    runOnNode: async (node, argv, timeoutMs = 15_000) => {
      const pod = plan?.podOfNode[node]
      if (!plan || !pod) {
        throw new Error(
          plan
            ? `no node "${node}" in context ${context}; nodes: ${nodes.map((n) => n.name).join(', ')}`
            : `no node access in context ${context}: start with --allow-privileged (SVCNET_ALLOW_PRIVILEGED=1)`,
        )
      }
      const full = nodeShellArgv(context, plan.namespace, pod, argv)
      return run(full[0]!, full.slice(1), { timeoutMs })
    },
    destroy,
  }
}

// Waits until every node shell pod is Running and Ready.
async function waitForShells(
  core: CoreV1Api,
  shells: NodeShellPlan,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const want = Object.keys(shells.podOfNode).length
  await waitFor({
    what: `${want} node shell pods ready in ${shells.namespace}`,
    timeoutMs,
    intervalMs: 500,
    signal,
    check: async () => {
      const pods = (await core.listNamespacedPod({ namespace: shells.namespace })).items
      const ready = pods.filter((p) =>
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      if (ready.length === want) return { done: true, value: undefined }
      const waiting = pods
        .filter((p) => !ready.includes(p))
        .map(
          (p) =>
            `${p.metadata?.name} on ${p.spec?.nodeName}: ${p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? p.status?.phase ?? 'Pending'}`,
        )
      return { done: false, seen: `${ready.length}/${want} ready; ${waiting.join(', ') || 'no pods yet'}` }
    },
  })
}
