// Checks of externalTrafficPolicy from outside: the client address the backend sees, drops, and the health check port.
import { nodeOfDeploymentPod, nodeWithoutDeploymentPods } from '../actions/placement.ts'
import { nodePort } from '../actions/services.ts'
import { outsideClientAddress as outsideAddress, requestFromOutside } from '../actions/traffic.ts'
import type { SvcWorld } from '../world.ts'
import { check, eventually } from './check-failed.ts'
import { describeProbe } from './http-probe.ts'

// The IP of a node by name.
function nodeIp(w: SvcWorld, name: string): string {
  return w.node(name).ip
}

// The client address netexec's /clientip reports for a request from outside to `ip:port`.
async function clientIpSeen(w: SvcWorld, ip: string, port: number): Promise<string> {
  const p = await eventually({
    what: `http://${ip}:${port}/clientip to answer from outside the cluster`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const p = await requestFromOutside(w, `http://${ip}:${port}/clientip`)
      return p.curlExit === 0 && p.status === 200
        ? { done: true, value: p }
        : { done: false, seen: describeProbe(p) }
    },
  })
  return p.body.trim().replace(/:\d+$/, '')
}

// Through the node that runs the deployment's pod, the backend sees the outside client's own address (no SNAT).
// The policy may have just changed: kube-proxy rewrites the rules within its sync period, so this waits for it.
export async function checkSourcePreserved(w: SvcWorld): Promise<void> {
  const node = await nodeOfDeploymentPod(w)
  const own = await outsideAddress(w)
  await eventually({
    what: `the pod to see the outside client's own address ${own} through node ${node}`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const seen = await clientIpSeen(w, nodeIp(w, node), nodePort(w))
      return seen === own
        ? { done: true, value: seen }
        : { done: false, seen: `the pod saw the client as ${seen}, not as the outside client ${own}` }
    },
  })
}

// Through a node without the deployment's pod, the backend sees an address of the cluster (SNAT), not the client's.
export async function checkSourceMasqueraded(w: SvcWorld): Promise<void> {
  const node = await nodeWithoutDeploymentPods(w)
  const [seen, own] = [await clientIpSeen(w, nodeIp(w, node), nodePort(w)), await outsideAddress(w)]
  check(
    seen !== own,
    `through node ${node}, the pod saw the outside client's own address ${own}; expected it masqueraded`,
  )
}

// The node port of a node without the deployment's pod gets no answer from outside (within the deadline).
export async function checkNoAnswerWithoutLocalEndpoint(w: SvcWorld): Promise<void> {
  const node = await nodeWithoutDeploymentPods(w)
  const url = `http://${nodeIp(w, node)}:${nodePort(w)}/hostname`
  await eventually({
    what: `${url} (node ${node}, no local endpoint) to get no answer from outside the cluster`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const p = await requestFromOutside(w, url)
      return p.curlExit !== 0 ? { done: true, value: p } : { done: false, seen: describeProbe(p) }
    },
  })
}

// The service's health check node port answers 200 on the node with the endpoint and 503 on a node without one.
export async function checkHealthCheckNodePort(w: SvcWorld): Promise<void> {
  const svc = await w.core.readNamespacedService({
    name: w.requireService().metadata!.name!,
    namespace: w.namespace,
  })
  const hc = svc.spec?.healthCheckNodePort
  check(
    hc,
    `service ${svc.metadata?.name} has no healthCheckNodePort (externalTrafficPolicy ${svc.spec?.externalTrafficPolicy})`,
  )
  for (const [node, want] of [
    [await nodeOfDeploymentPod(w), 200],
    [await nodeWithoutDeploymentPods(w), 503],
  ] as const) {
    const url = `http://${nodeIp(w, node)}:${hc}/healthz`
    await eventually({
      what: `${url} (node ${node}) to answer HTTP ${want}`,
      timeoutMs: 30_000,
      intervalMs: 500,
      check: async () => {
        const p = await requestFromOutside(w, url)
        return p.status === want ? { done: true, value: p } : { done: false, seen: describeProbe(p) }
      },
    })
  }
}
