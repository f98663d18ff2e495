// Checks of traffic from outside the cluster: every node answers at the node port, and requests reach every pod.
import { nodePort, waitForReadyEndpoints } from '../actions/services.ts'
import { requestFromOutside, spreadOverNodePorts, waitForPage } from '../actions/traffic.ts'
import { describeProbe, hostnameInBody } from './http-probe.ts'
import { requestLoopback } from '../actions/port-forward.ts'
import { deploymentPods } from '../actions/workloads.ts'
import type { SvcWorld } from '../world.ts'
import { check, eventually } from './check-failed.ts'

// Once the endpoints are ready, every node's IP at the node port answers HTTP 200 from outside.
export async function checkServedOnEveryNode(w: SvcWorld): Promise<void> {
  await waitForReadyEndpoints(w, w.requireDeployment().replicas)
  for (const node of w.cluster.nodes) await waitForPage(w, `http://${node.ip}:${nodePort(w)}/`, '')
}

// Every node's IP at `port` answers with `text` in the body and names one of the deployment's pods.
export async function checkEveryNodeAnswers(w: SvcWorld, port: number, text: string): Promise<void> {
  await waitForReadyEndpoints(w, w.requireDeployment().replicas)
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  for (const node of w.cluster.nodes) {
    const probe = await waitForPage(w, `http://${node.ip}:${port}/`, text)
    const host = hostnameInBody(probe.body)
    check(
      host && pods.includes(host),
      `${probe.url} answered hostname "${host}", not one of the pods [${pods.join(', ')}]`,
    )
  }
}

// `count` requests over every node's IP at the node port all succeed, and each of the `podCount` pods serves some.
export async function checkRequestsReachAllPods(w: SvcWorld, count: number, podCount: number): Promise<void> {
  const pods = await deploymentPods(w)
  check(pods.length === podCount, `expected ${podCount} pods, found ${pods.length}`)
  await waitForReadyEndpoints(w, podCount)
  const served = await spreadOverNodePorts(w, count, nodePort(w), pods)
  const table = Object.fromEntries(served)
  w.attach(['pod\trequests', ...[...served].map(([p, n]) => `${p}\t${n}`)].join('\n'), {
    mediaType: 'text/tab-separated-values',
    fileName: 'requests-per-pod.tsv',
  })
  const total = [...served.values()].reduce((a, b) => a + b, 0)
  check(total === count, `the pods account for ${total} of ${count} requests: ${JSON.stringify(table)}`)
  const missed = pods.map((p) => p.metadata!.name!).filter((n) => !served.get(n))
  check(
    missed.length === 0,
    `pods that served none of ${count} requests: ${missed.join(', ')}; served: ${JSON.stringify(table)}`,
  )
}

// Every node's IP at `port` stops answering from outside (connection refused or no answer), within the deadline.
export async function checkNoNodeAnswers(w: SvcWorld, port: number): Promise<void> {
  for (const node of w.cluster.nodes) {
    const url = `http://${node.ip}:${port}/`
    await eventually({
      what: `${url} to stop answering from outside the cluster`,
      timeoutMs: 30_000,
      intervalMs: 500,
      check: async () => {
        const p = await requestFromOutside(w, url)
        if (p.curlExit !== 0) return { done: true, value: p }
        return { done: false, seen: describeProbe(p) }
      },
    })
  }
}

// From outside, `ip:port` answers with `text` in the body, naming one of the deployment's pods.
export async function checkAddressAnswers(
  w: SvcWorld,
  ip: string,
  port: number,
  text: string,
): Promise<void> {
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  const probe = await waitForPage(w, `http://${ip}:${port}/`, text)
  const host = hostnameInBody(probe.body)
  check(
    host && pods.includes(host),
    `${probe.url} answered hostname "${host}", not one of the pods [${pods.join(', ')}]`,
  )
}

// The port-forward's local end on this machine answers with `text`, from one of the deployment's pods.
export async function checkLoopbackAnswers(w: SvcWorld, port: number, text: string): Promise<void> {
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  const probe = await eventually({
    what: `127.0.0.1:${port} (kubectl port-forward) to answer HTTP 200 containing "${text}"`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const p = await requestLoopback(w, port)
      if (p.curlExit === 0 && p.status === 200 && p.body.includes(text)) return { done: true, value: p }
      return { done: false, seen: describeProbe(p) }
    },
  })
  const host = hostnameInBody(probe.body)
  check(
    host && pods.includes(host),
    `${probe.url} answered hostname "${host}", not one of the pods [${pods.join(', ')}]`,
  )
}
