// A cluster kept after a run (--keep-cluster) or run on again (--reuse NAME): finding a kept lab, and telling the user
// how to use and remove what was kept.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { listLabs } from '../../src/cluster/lab/discovery.ts'
import { labCluster } from '../../src/cluster/lab/lab-cluster.ts'
import { parseLabNetns, RUN_FILES } from '../../src/cluster/lab/names.ts'
import { planLab } from '../../src/cluster/lab/network/plan.ts'
import type { Cluster } from '../../src/cluster/provider.ts'
import { kubeConfigFrom } from '../../src/kube/kubeconfig.ts'

// The running lab of that name, as a Cluster that destroy() leaves running; an error says what labs there are.
export async function reuseLab(name: string): Promise<Cluster> {
  const found = await listLabs({ cluster: name })
  const running = found.filter((l) => l.daemonAlive)
  if (running.length !== 1) {
    const all = (await listLabs()).filter((l) => l.daemonAlive).map((l) => l.cluster)
    throw new Error(
      running.length === 0
        ? `--reuse ${name}: no running lab of that name (running: ${all.join(', ') || 'none'}); keep one with svcnet test --keep-cluster, or make one with svcnet lab up --name ${name}`
        : `--reuse ${name}: ${running.length} runs of that lab are running (${running.map((l) => l.runId).join(', ')}); remove them with svcnet lab down --name ${name}`,
    )
  }
  const lab = running[0]!
  const nodes = lab.namespaces.filter((n) => parseLabNetns(n)?.kind === 'node').length
  const topology = planLab({ cluster: name, workers: Math.max(0, nodes - 1) }, lab.runId)
  const kubeconfigPath = join(lab.runDir, RUN_FILES.kubeconfig)
  const kubeConfig = kubeConfigFrom(await readFile(kubeconfigPath, 'utf8'))
  return { ...labCluster({ topology, kubeconfigPath, kubeConfig }), destroy: async () => {} }
}

// How to use a kept cluster and remove it, as lines to print after the run.
export async function keptClusterNotes(provider: string, name: string): Promise<string[]> {
  if (provider === 'lab') {
    const lab = (await listLabs({ cluster: name })).find((l) => l.daemonAlive)
    const kubeconfig = lab ? join(lab.runDir, RUN_FILES.kubeconfig) : `(lab ${name} is no longer running)`
    return [
      `kept lab ${name}:`,
      `  export KUBECONFIG=${kubeconfig}`,
      `  svcnet test --reuse ${name}          # run the suite on it again`,
      `  svcnet lab down --name ${name}       # remove it`,
    ]
  }
  return [
    `kept kind cluster ${name}:`,
    `  kind export kubeconfig --name ${name}   # makes kind-${name} kubectl's current context`,
    `  svcnet test --provider kind --reuse ${name}`,
    `  kind delete cluster --name ${name}      # remove it`,
  ]
}
