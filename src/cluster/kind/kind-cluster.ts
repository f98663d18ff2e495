// The kind provider's Cluster: runs the plan (kind and docker through src/exec), deploys svcnet, waits, and tears down.
import { run } from '../../exec/run.ts'
import { kubeConfigFrom } from '../../kube/kubeconfig.ts'
import { REPO_ROOT } from '../../paths.ts'
import type { Cluster, ClusterNode } from '../provider.ts'
import { KIND_NETWORKING } from './config.ts'
import { deploySvcnet, listClusterNodes, waitUntilServing, type DeployWaits } from './deploy.ts'
import { validateKindOptions, type KindOptions } from './options.ts'
import {
  curlHealthz,
  testcontainersOutsideClient,
  type OutsideClient,
  type OutsideClientFactory,
} from './outside-client.ts'
import { nodeExecArgv, planKind, type KindPlan, type PlannedCommand } from './plan.ts'
import { preflight } from './preflight.ts'
import { onInterrupt } from '../existing/on-interrupt.ts'

/** How to start a kind cluster for the suite. */
export interface StartKindOptions {
  options: KindOptions
  /** Holds the Dockerfile and deploy/. @default the repository root */
  repoRoot?: string
  /** Progress lines. */
  log?: (message: string) => void
  /** `none`: no outside client (scenarios needing one are skipped). @default testcontainers on the kind network */
  outsideClient?: OutsideClientFactory | 'none'
  /** Deadlines for the readiness waits. @default 180 s each, polled every second */
  waits?: Partial<DeployWaits>
  /** Delete the cluster when the process gets SIGINT or SIGTERM (then exit 130). @default true */
  teardownOnSignal?: boolean
}

// The kind cluster names `kind get clusters` printed (it says "No kind clusters found." on stderr when none).
export function parseKindClusters(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('No kind clusters'))
}

// Creates (or reuses) a kind cluster, puts svcnet's proxy and DNS in it, and returns it once both serve.
export async function startKindCluster(s: StartKindOptions): Promise<Cluster> {
  const o = s.options
  const problems = validateKindOptions(o)
  if (problems.length) throw new Error(`invalid kind options: ${problems.join('; ')}`)
  const plan = planKind(o, s.repoRoot ?? REPO_ROOT)
  const log = s.log ?? (() => {})
  // Aborted by Ctrl-C: the start-up stops before its next step while the handler deletes the cluster.
  const interrupted = new AbortController()
  const runStep = async (c: PlannedCommand, timeoutMs = 600_000) => {
    log(c.what)
    return run(c.argv[0]!, c.argv.slice(1), { ...(c.stdin ? { stdin: c.stdin } : {}), timeoutMs })
  }
  const step = async (c: PlannedCommand) => {
    interrupted.signal.throwIfAborted()
    return runStep(c)
  }
  const versions = await preflight(plan.preflight)
  log(`${versions[0]}; Docker ${versions[1]}`)
  const existing = parseKindClusters((await step(plan.listClusters)).stdout)
  if (o.reuse && !existing.includes(o.cluster)) {
    throw new Error(
      `--reuse ${o.cluster}: no such kind cluster (kind get clusters: ${existing.join(', ') || 'none'})`,
    )
  }
  if (!o.reuse && existing.includes(o.cluster)) {
    throw new Error(
      `a kind cluster named "${o.cluster}" already exists: run on it with --reuse ${o.cluster} (SVCNET_KIND_REUSE), or remove it with: kind delete cluster --name ${o.cluster}`,
    )
  }
  let outside: OutsideClient | undefined
  // One teardown, however many callers (the suite, a failed start-up, Ctrl-C): they all wait for the same one.
  let teardown: Promise<void> | undefined
  const destroy = (): Promise<void> => (teardown ??= tearDown())
  const tearDown = async (): Promise<void> => {
    const errors: string[] = []
    if (outside) await outside.stop().catch((err: Error) => errors.push(`outside client: ${err.message}`))
    if (plan.teardown) await runStep(plan.teardown).catch((err: Error) => errors.push(err.message))
    else log(`keeping kind cluster ${o.cluster} (remove it with: kind delete cluster --name ${o.cluster})`)
    // Only now (see onInterrupt).
    unregister()
    if (errors.length) throw new Error(`tearing down kind cluster ${o.cluster}: ${errors.join('; ')}`)
  }
  // Registered before the cluster exists: Ctrl-C during `kind create` still removes what kind made.
  const unregister =
    s.teardownOnSignal === false || !plan.teardown
      ? () => {}
      : onInterrupt('the kind cluster', interrupted, destroy, log)
  try {
    if (plan.create) await step(plan.create)
    if (plan.buildImage) await step(plan.buildImage)
    if (plan.loadImage) await step(plan.loadImage)
    const kubeConfig = kubeConfigFrom((await step(plan.kubeconfig)).stdout)
    const nodes = await listClusterNodes(kubeConfig)
    log(`nodes: ${nodes.map((n) => `${n.name} ${n.ip}`).join(', ')}`)
    await deploySvcnet(kubeConfig, plan, nodes)
    const healthz = async (node: ClusterNode) =>
      (await runOnNode(plan, nodes, node.name, curlHealthz('127.0.0.1'), 10_000, true)).stdout
    await waitUntilServing(kubeConfig, plan, nodes, healthz, {
      timeoutMs: 180_000,
      intervalMs: 1000,
      signal: interrupted.signal,
      ...s.waits,
    })
    const factory = s.outsideClient ?? testcontainersOutsideClient
    if (factory !== 'none') {
      outside = await factory({
        network: KIND_NETWORKING.dockerNetwork,
        image: o.outsideImage,
        labels: { 'app.kubernetes.io/part-of': 'svcnet', 'svcnet.io/kind-cluster': o.cluster },
      })
      log(`outside client: ${outside.description}`)
    }
    return kindCluster(plan, kubeConfig, nodes, outside, destroy)
  } catch (err) {
    await destroy().catch((e: Error) => log(e.message))
    throw new Error(`kind provider (cluster ${o.cluster}): ${(err as Error).message}`, { cause: err })
  }
}

// The Cluster the suite drives: node commands through docker exec, outside commands in the outside client.
function kindCluster(
  plan: KindPlan,
  kubeConfig: Cluster['kubeConfig'],
  nodes: ClusterNode[],
  outside: OutsideClient | undefined,
  destroy: () => Promise<void>,
): Cluster {
  const workers = nodes.filter((n) => n.role === 'worker').length
  return {
    provider: 'kind',
    name: plan.options.cluster,
    kubeConfig,
    nodes,
    capabilities: new Set([
      'node-access',
      ...(outside ? ['outside-client'] : []),
      ...(workers >= 2 ? ['two-workers'] : []),
    ]),
    runOutside: async (argv, timeoutMs = 15_000) => {
      if (!outside)
        throw new Error(`kind cluster ${plan.options.cluster} was started without an outside client`)
      return outside.run(argv, timeoutMs)
    },
    runOnNode: (node, argv, timeoutMs = 15_000) => runOnNode(plan, nodes, node, argv, timeoutMs, false),
    destroy,
  }
}

// Runs argv on a node container; an unknown node is an error that lists the nodes.
async function runOnNode(
  plan: KindPlan,
  nodes: readonly ClusterNode[],
  node: string,
  argv: readonly string[],
  timeoutMs: number,
  allowFailure: boolean,
) {
  if (!nodes.some((n) => n.name === node)) {
    throw new Error(
      `no node "${node}" in kind cluster ${plan.options.cluster}; nodes: ${nodes.map((n) => n.name).join(', ')}`,
    )
  }
  const full = nodeExecArgv(node, argv)
  return run(full[0]!, full.slice(1), { timeoutMs, allowFailure })
}
