// The pod network operations the kubelet needs, behind an interface (the lab's pod-network module by default).
import { setUpPodNetwork, tearDownPodNetwork } from '../network/pod-network.ts'
import type { LabNode, LabTopology } from '../network/topology.ts'

/** Creates and removes pod network namespaces. */
export interface PodNetworkDriver {
  // Creates the pod's namespace wired to its node's bridge with this address.
  setUp(node: LabNode, pod: { uid: string; ip: string }): Promise<{ netns: string }>
  // Removes the pod's namespace (killing what runs in it) and /etc/netns/<netns>; idempotent.
  tearDown(uid: string): Promise<void>
}

// The real driver: src/cluster/lab/pod-network.ts for one lab.
export function labPodNetwork(topology: LabTopology): PodNetworkDriver {
  return {
    setUp: (node, pod) => setUpPodNetwork(topology, node, pod),
    tearDown: (uid) => tearDownPodNetwork(topology, uid),
  }
}
