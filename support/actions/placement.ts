// Which nodes the deployment's pods run on, to place a client pod with or without a local endpoint.
import type { SvcWorld } from '../world.ts'
import { deploymentPods } from './workloads.ts'

// The node of the deployment's only pod; fails unless there is exactly one.
export async function nodeOfDeploymentPod(w: SvcWorld): Promise<string> {
  const pods = await deploymentPods(w)
  const node = pods[0]?.spec?.nodeName
  if (pods.length !== 1 || !node)
    throw new Error(`expected the deployment to have one scheduled pod, found ${pods.length}`)
  return node
}

// A worker node that runs none of the deployment's pods; fails when every worker runs one.
export async function nodeWithoutDeploymentPods(w: SvcWorld): Promise<string> {
  const used = new Set((await deploymentPods(w)).map((p) => p.spec?.nodeName))
  const free = w.cluster.nodes.find((n) => n.role === 'worker' && !used.has(n.name))
  if (!free) throw new Error(`every worker runs a pod of the deployment (${[...used].join(', ')})`)
  return free.name
}
