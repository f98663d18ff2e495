// The lab provider's Cluster: a lab brought up by labUp(), driven through its namespaces.
import { readFile } from 'node:fs/promises'
import { run } from '../../exec/run.ts'
import { kubeConfigFrom } from '../../kube/kubeconfig.ts'
import type { Cluster } from '../provider.ts'
import { labUp, type Lab, type LabRun, type LabUpOptions } from './lab-up.ts'
import { destroyLab } from './teardown.ts'

// Brings up a lab and wraps it as a Cluster.
export async function startLabCluster(opts: LabUpOptions): Promise<Cluster> {
  return labCluster(await withKubeConfig(await labUp(opts)))
}

// A lab with client-node's KubeConfig of its kubeconfig file (for the suite and the benchmarks' API calls).
export async function withKubeConfig(lab: LabRun): Promise<Lab> {
  return { ...lab, kubeConfig: kubeConfigFrom(await readFile(lab.kubeconfigPath, 'utf8')) }
}

// A running lab (just built, or found on the machine) as a Cluster; destroy() removes it.
export function labCluster(lab: Lab): Cluster {
  const { topology } = lab
  return {
    provider: 'lab',
    name: topology.cluster,
    kubeConfig: lab.kubeConfig,
    nodes: topology.nodes.map((n) => ({ name: n.name, ip: n.ip, role: n.role })),
    capabilities: new Set([
      'node-access',
      'outside-client',
      // The lab load-balancer controller hands out 172.18.255.200-250, routed from the outside client via a node.
      'load-balancer',
      ...(topology.nodes.filter((n) => n.role === 'worker').length >= 2 ? ['two-workers'] : []),
    ]),
    runOutside: (argv, timeoutMs = 15_000) =>
      run(argv[0]!, argv.slice(1), { netns: topology.outside.netns, allowFailure: true, timeoutMs }),
    runOnNode: (node, argv, timeoutMs = 15_000) => {
      const n = topology.nodes.find((x) => x.name === node)
      if (!n)
        throw new Error(
          `no node "${node}" in lab ${topology.cluster}; nodes: ${topology.nodes.map((x) => x.name).join(', ')}`,
        )
      return run(argv[0]!, argv.slice(1), { netns: n.netns, timeoutMs })
    },
    destroy: async () => {
      await destroyLab(topology.cluster, topology.runId)
    },
  }
}
