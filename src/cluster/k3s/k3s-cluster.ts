// The optional k3s provider: one k3s node in a container (@testcontainers/k3s) with its kube-proxy and CoreDNS off and
// svcnet's deployed, an outside client on the same docker network. Needs a Docker daemon; untested here (none).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from '../../exec/run.ts'
import { kubeConfigFrom } from '../../kube/kubeconfig.ts'
import { REPO_ROOT } from '../../paths.ts'
import type { Cluster } from '../provider.ts'
import { deploySvcnet, listClusterNodes, waitUntilServing } from '../kind/deploy.ts'
import { curlHealthz, execInContainer } from '../kind/outside-client.ts'
import { preflight } from '../kind/preflight.ts'
import { DEFAULT_K3S_OPTIONS, planK3s, type K3sOptions } from './plan.ts'

// Starts k3s, imports and deploys svcnet, waits until it serves; everything is removed by destroy() (and Ryuk).
export async function startK3sCluster(
  o: K3sOptions = DEFAULT_K3S_OPTIONS,
  log: (m: string) => void = () => {},
): Promise<Cluster> {
  await preflight([
    {
      what: 'check that the Docker daemon is running',
      argv: ['docker', 'info', '--format', '{{.ServerVersion}}'],
    },
  ])
  // After the preflight: a machine without Docker is told so and left with nothing behind.
  const tmp = await mkdtemp(join(tmpdir(), 'svcnet-k3s-'))
  const plan = planK3s(o, REPO_ROOT, join(tmp, 'svcnet-image.tar'))
  const stops: (() => Promise<unknown>)[] = [() => rm(tmp, { recursive: true, force: true })]
  const destroy = async () => {
    for (const stop of stops.splice(0).reverse()) await stop()
  }
  try {
    for (const c of [plan.buildImage, plan.saveImage]) {
      log(c.what)
      await run(c.argv[0]!, c.argv.slice(1), { timeoutMs: 600_000 })
    }
    const { GenericContainer, Network } = await import('testcontainers')
    const { K3sContainer } = await import('@testcontainers/k3s')
    const network = await new Network().start()
    stops.push(() => network.stop())
    log(`starting ${o.k3sImage}: ${plan.serverCommand.join(' ')}`)
    const k3s = await new K3sContainer(o.k3sImage)
      .withNetwork(network)
      .withCommand(plan.serverCommand)
      .start()
    stops.push(() => k3s.stop())
    await k3s.copyFilesToContainer([
      { source: join(tmp, 'svcnet-image.tar'), target: plan.imageTarInContainer },
    ])
    const imported = await k3s.exec(plan.importImage)
    if (imported.exitCode !== 0) {
      throw new Error(`${plan.importImage.join(' ')} exited ${imported.exitCode}: ${imported.output.trim()}`)
    }
    const outside = await new GenericContainer(o.outsideImage)
      .withNetwork(network)
      .withLabels({ 'app.kubernetes.io/part-of': 'svcnet' })
      .withCommand(['sleep', 'infinity'])
      .start()
    stops.push(() => outside.stop())
    const kubeConfig = kubeConfigFrom(k3s.getKubeConfig())
    const nodes = await listClusterNodes(kubeConfig)
    await deploySvcnet(kubeConfig, plan, nodes)
    const healthz = async (node: { ip: string }) =>
      (await execInContainer(outside, curlHealthz(node.ip), 10_000)).stdout
    await waitUntilServing(kubeConfig, plan, nodes, healthz, { timeoutMs: 180_000, intervalMs: 1000 })
    return {
      provider: 'k3s',
      name: k3s.getName(),
      kubeConfig,
      nodes,
      capabilities: new Set(['node-access', 'outside-client']),
      runOutside: (argv, timeoutMs = 15_000) => execInContainer(outside, argv, timeoutMs),
      runOnNode: async (node, argv) => {
        if (!nodes.some((n) => n.name === node))
          throw new Error(`no node "${node}" in k3s; nodes: ${nodes[0]?.name}`)
        const r = await execInContainer(k3s, argv, undefined)
        if (r.exitCode !== 0)
          throw new Error(`exited ${r.exitCode}: ${r.argv.join(' ')} on k3s\n${r.stderr.trim()}`)
        return r
      },
      destroy,
    }
  } catch (err) {
    await destroy()
    throw new Error(`k3s provider: ${(err as Error).message}`, { cause: err })
  }
}
