// Checks of UDP Services: real nc sends `hostname` to netexec's UDP server through the Service, the answer names the pod.
import type { V1ServicePort } from '@kubernetes/client-node'
import { waitForReadyEndpoints } from '../actions/services.ts'
import {
  UDP_CLIENT_POD,
  udpRequestsFromOutside,
  udpRequestsFromPod,
  type UdpTarget,
} from '../actions/udp-client.ts'
import { deploymentPods } from '../actions/workloads.ts'
import type { SvcWorld } from '../world.ts'
import { check, eventually } from './check-failed.ts'
import { describeProbe, type HttpProbe } from './http-probe.ts'

// The scenario service's first UDP port; fails when it has none.
function udpPort(w: SvcWorld): V1ServicePort {
  const svc = w.requireService()
  const port = svc.spec?.ports?.find((p) => p.protocol === 'UDP')
  if (!port)
    throw new Error(`service ${svc.metadata?.name} has no UDP port: ${JSON.stringify(svc.spec?.ports)}`)
  return port
}

// The service's cluster IP at its UDP port.
function clusterTarget(w: SvcWorld): UdpTarget {
  const ip = w.requireService().spec?.clusterIP
  if (!ip || ip === 'None') throw new Error(`service ${w.service?.metadata?.name} has no cluster IP`)
  return { ip, port: udpPort(w).port }
}

// Counts the answers per pod name ('failed' for no answer, the answer itself for a stranger).
function answersPerPod(pods: readonly string[], probes: readonly HttpProbe[]): Map<string, number> {
  const served = new Map<string, number>(pods.map((p) => [p, 0]))
  for (const p of probes) {
    const who = p.curlExit === 0 ? p.body : 'failed'
    served.set(who, (served.get(who) ?? 0) + 1)
  }
  return served
}

// From the UDP client pod, a round of `count` requests to the service's cluster IP all get an answer and every one of
// the `podCount` pods answers some; rounds repeat until one does (kube-proxy may still be following the endpoints).
export async function checkUdpRequestsReachAllPods(
  w: SvcWorld,
  count: number,
  podCount: number,
): Promise<void> {
  await waitForReadyEndpoints(w, podCount)
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  check(pods.length === podCount, `expected ${podCount} pods, found ${pods.length}: ${pods.join(', ')}`)
  const target = clusterTarget(w)
  const served = await eventually({
    what: `a round of ${count} UDP requests from pod ${UDP_CLIENT_POD} to udp://${target.ip}:${target.port} to all be answered, by each of the pods ${pods.join(', ')}`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const probes = await udpRequestsFromPod(w, UDP_CLIENT_POD, target, count)
      const served = answersPerPod(pods, probes)
      const complete = [...served].every(([p, n]) => (pods.includes(p) ? n > 0 : n === 0))
      if (complete) return { done: true, value: served }
      const failed = probes.find((p) => p.curlExit !== 0)
      const first = failed ? `; first failure: ${describeProbe(failed)}` : ''
      return { done: false, seen: `answers per pod ${JSON.stringify(Object.fromEntries(served))}${first}` }
    },
  })
  w.attach(['pod\tUDP requests', ...[...served].map(([p, n]) => `${p}\t${n}`)].join('\n'), {
    mediaType: 'text/tab-separated-values',
    fileName: 'udp-requests-per-pod.tsv',
  })
}

// From outside, every node's IP at the service's UDP node port answers a round of requests, each from one of the pods.
export async function checkUdpNodePortsFromOutside(w: SvcWorld): Promise<void> {
  await waitForReadyEndpoints(w, w.requireDeployment().replicas)
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  const nodePort = udpPort(w).nodePort
  check(nodePort, `service ${w.service?.metadata?.name} has no node port for its UDP port`)
  for (const node of w.cluster.nodes) {
    const target = { ip: node.ip, port: nodePort }
    await eventually({
      what: `3 UDP requests from outside the cluster to udp://${target.ip}:${target.port} (node ${node.name}) to be answered by the pods ${pods.join(', ')}`,
      timeoutMs: 30_000,
      intervalMs: 500,
      check: async () => {
        const probes = await udpRequestsFromOutside(w, target, 3)
        const wrong = probes.filter((p) => p.curlExit !== 0 || !pods.includes(p.body))
        if (wrong.length === 0) return { done: true, value: undefined }
        return { done: false, seen: wrong.map(describeProbe).join('; ') }
      },
    })
  }
}

// The node's IP at the node port of the service's UDP port.
function nodePortTarget(w: SvcWorld, node: string): UdpTarget {
  const nodePort = udpPort(w).nodePort
  check(nodePort, `service ${w.service?.metadata?.name} has no node port for its UDP port`)
  return { ip: w.node(node).ip, port: nodePort }
}

// From the UDP client pod's fixed source port, a request to the service's cluster IP (or to a node's IP at its node
// port) is answered by the deployment's only pod as it is now: after a pod was replaced, the proxy must have removed
// the conntrack entry that sent this client to the old pod, or the client keeps talking to a pod that is gone.
export async function checkUdpSourcePortAnswered(
  w: SvcWorld,
  sourcePort: number,
  node?: string,
): Promise<void> {
  await waitForReadyEndpoints(w, 1)
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  check(
    pods.length === 1,
    `expected the deployment to have one pod, found ${pods.length}: ${pods.join(', ')}`,
  )
  const pod = pods[0]!
  const target = node === undefined ? clusterTarget(w) : nodePortTarget(w, node)
  await eventually({
    what: `a UDP request from port ${sourcePort} of pod ${UDP_CLIENT_POD} to udp://${target.ip}:${target.port} to be answered by pod ${pod}`,
    timeoutMs: 20_000,
    intervalMs: 500,
    check: async () => {
      const [p] = await udpRequestsFromPod(w, UDP_CLIENT_POD, target, 1, sourcePort)
      if (p && p.curlExit === 0 && p.body === pod) return { done: true, value: undefined }
      return { done: false, seen: p ? describeProbe(p) : 'no result' }
    },
  })
}
