// A pod's network: its own namespace with eth0 on the node's pod bridge, a /24 address and a default route.
import { runBatch } from './command-batch.ts'
import type { LabNode, LabTopology } from './topology.ts'
import { uidHex8 } from '../names.ts'
import { cidrContains, mustParseCidr4 } from '../../../kube/ip.ts'
import { deleteNetns, netnsExists } from './netns.ts'

// The namespace of a pod: `svcnet-<cluster>-<runId>-pod-<8 hex of uid>`.
export function podNetnsName(topology: LabTopology, podUid: string): string {
  return `${topology.prefix}pod-${uidHex8(podUid)}`
}

// The node-side veth of a pod, inside the node namespace: `veth<8 hex of uid>` (12 characters).
export function podHostVethName(podUid: string): string {
  return `veth${uidHex8(podUid)}`
}

// The argv lists that wire a pod's namespace to its node (pure; the namespace must already exist).
export function podNetworkCommands(node: LabNode, netns: string, podUid: string, ip: string): string[][] {
  const veth = podHostVethName(podUid)
  return [
    ['ip', '-n', netns, 'link', 'set', 'lo', 'up'],
    ['ip', 'link', 'add', 'eth0', 'netns', netns, 'type', 'veth', 'peer', 'name', veth, 'netns', node.netns],
    ['ip', '-n', node.netns, 'link', 'set', veth, 'master', node.podBridge],
    // Hairpin: a pod reaching itself through a Service leaves and re-enters by the same bridge port.
    ['ip', '-n', node.netns, 'link', 'set', veth, 'type', 'bridge_slave', 'hairpin', 'on'],
    ['ip', '-n', node.netns, 'link', 'set', veth, 'up'],
    ['ip', '-n', netns, 'addr', 'add', `${ip}/${mustParseCidr4(node.podCIDR).prefix}`, 'dev', 'eth0'],
    ['ip', '-n', netns, 'link', 'set', 'eth0', 'up'],
    ['ip', '-n', netns, 'route', 'add', 'default', 'via', node.podGateway, 'dev', 'eth0'],
  ]
}

// Creates a pod's namespace and wires it to the node's pod bridge; on failure removes the namespace again.
export async function setUpPodNetwork(
  topology: LabTopology,
  node: LabNode,
  pod: { uid: string; ip: string },
): Promise<{ netns: string }> {
  if (!cidrContains(mustParseCidr4(node.podCIDR), pod.ip) || pod.ip === node.podGateway) {
    throw new RangeError(
      `pod ${pod.uid}: address ${pod.ip} is not a pod address of node ${node.name} (${node.podCIDR})`,
    )
  }
  const netns = podNetnsName(topology, pod.uid)
  if (await netnsExists(netns)) {
    throw new Error(`pod ${pod.uid}: namespace ${netns} already exists (tear the old pod network down first)`)
  }
  const failed = await runBatch([
    ['ip', 'netns', 'add', netns],
    ...podNetworkCommands(node, netns, pod.uid, pod.ip),
  ])
  if (!failed) return { netns }
  let undo = ''
  try {
    if (failed.index > 0) await deleteNetns(netns)
  } catch (cleanupErr) {
    undo = `\nremoving ${netns} again also failed: ${(cleanupErr as Error).message}`
  }
  throw new Error(
    `failed to set up the network of pod ${pod.uid} (${pod.ip}) on node ${node.name}: ${failed.error.message}${undo}`,
    { cause: failed.error },
  )
}

// Removes a pod's network: stops every process left in its namespace, deletes it and /etc/netns/<netns>. Idempotent.
export async function tearDownPodNetwork(topology: LabTopology, podUid: string): Promise<void> {
  const netns = podNetnsName(topology, podUid)
  try {
    await deleteNetns(netns)
  } catch (err) {
    throw new Error(`failed to tear down the network of pod ${podUid}: ${(err as Error).message}`, {
      cause: err,
    })
  }
}
