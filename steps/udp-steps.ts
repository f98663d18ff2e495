// Steps for UDP Services: a netexec UDP server behind the Service, real nc from a pod or from outside the cluster.
import { Given, Then } from '@cucumber/cucumber'
import { createUdpClientPod } from '../support/actions/udp-client.ts'
import { createNetexecDeployment } from '../support/actions/workloads.ts'
import {
  checkUdpNodePortsFromOutside,
  checkUdpRequestsReachAllPods,
  checkUdpSourcePortAnswered,
} from '../support/checks/udp-checks.ts'
import type { SvcWorld } from '../support/world.ts'

// Same as the netexec deployment, also serving UDP on that port (container port "udp"): it answers `hostname` with its pod's name.
// e.g. Given a deployment "udp-server" with 2 replicas of the netexec server on port 8080 and UDP port 8081
Given(
  'a deployment {string} with {int} replica(s) of the netexec server on port {int} and UDP port {int}',
  async function (this: SvcWorld, name: string, replicas: number, port: number, udpPort: number) {
    await createNetexecDeployment(this, name, replicas, port, udpPort)
  },
)

// Creates the pod `udp-client` (image agnhost, which has nc, as upstream's exec pods; pausing) and waits until it is ready.
// e.g. Given a UDP client pod
Given('a UDP client pod', async function (this: SvcWorld) {
  await createUdpClientPod(this)
})

// Sends rounds of UDP `hostname` requests at once (nc, each from its own port) to the service's cluster IP at its UDP port, until one round is all answered and every pod of the deployment answered some.
// e.g. Then 10 UDP requests from the UDP client pod to the service reach all 2 pods
Then(
  '{int} UDP requests from the UDP client pod to the service reach all {int} pods',
  async function (this: SvcWorld, count: number, pods: number) {
    await checkUdpRequestsReachAllPods(this, count, pods)
  },
)

// From the outside client, nc to every node's IP at the node port of the service's UDP port is answered by the deployment's pods.
// e.g. Then from outside the cluster, every node's IP at the service's UDP node port is answered by the pods
Then(
  "from outside the cluster, every node's IP at the service's UDP node port is answered by the pods",
  async function (this: SvcWorld) {
    await checkUdpNodePortsFromOutside(this)
  },
)

// UDP requests from that fixed source port (`nc -p`) to the service's cluster IP are answered by the deployment's only pod as it is now (after a deletion, its replacement: the proxy removed the stale conntrack entry).
// e.g. Then the UDP client pod, sending from port 12345 to the service, is answered by the deployment's pod
Then(
  "the UDP client pod, sending from port {int} to the service, is answered by the deployment's pod",
  async function (this: SvcWorld, sourcePort: number) {
    await checkUdpSourcePortAnswered(this, sourcePort)
  },
)

// Same, to that node's IP at the node port of the service's UDP port.
// e.g. Then the UDP client pod, sending from port 12345 to the node port on worker, is answered by the deployment's pod
Then(
  "the UDP client pod, sending from port {int} to the node port on {node}, is answered by the deployment's pod",
  async function (this: SvcWorld, sourcePort: number, node: string) {
    await checkUdpSourcePortAnswered(this, sourcePort, node)
  },
)
