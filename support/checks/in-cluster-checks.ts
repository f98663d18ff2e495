// Checks made from inside the cluster: real curl in a pod, through the Kubernetes exec API.
import type { V1Service } from '@kubernetes/client-node'
import { CLIENT_POD, requestsFromPod } from '../actions/client-pod.ts'
import { clusterUrl, serviceNamed, waitForReadyEndpoints } from '../actions/services.ts'
import { deploymentPods } from '../actions/workloads.ts'
import type { SvcWorld } from '../world.ts'
import { check, eventually } from './check-failed.ts'
import { describeProbe, hostnameInBody, type HttpProbe } from './http-probe.ts'

// The service a step names, or the scenario's service when it names none.
async function target(w: SvcWorld, name: string | undefined): Promise<V1Service> {
  return name === undefined ? w.requireService() : serviceNamed(w, name)
}

// Waits until one request from `pod` to `url` gets HTTP 200 (kube-proxy may still be programming the rules).
async function firstAnswer(w: SvcWorld, pod: string, url: string): Promise<HttpProbe> {
  return eventually({
    what: `${url} to answer HTTP 200 from pod ${pod}`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const [p] = await requestsFromPod(w, pod, [url])
      if (p && p.curlExit === 0 && p.status === 200) return { done: true, value: p }
      return { done: false, seen: p ? describeProbe(p) : 'no answer' }
    },
  })
}

// Attaches who answered how often, as a table the report draws.
function attachServedTable(w: SvcWorld, served: Map<string, number>, fileName: string): void {
  w.attach(['pod\trequests', ...[...served].map(([p, n]) => `${p}\t${n}`)].join('\n'), {
    mediaType: 'text/tab-separated-values',
    fileName,
  })
}

// From the client pod, a round of `count` requests to the service's cluster IP all succeed and every one of the
// `podCount` pods answers some; rounds repeat until one does (kube-proxy may still be following the endpoints).
export async function checkPodRequestsReachAllPods(
  w: SvcWorld,
  count: number,
  podCount: number,
  serviceName?: string,
): Promise<void> {
  const svc = await target(w, serviceName)
  const name = svc.metadata!.name!
  await waitForReadyEndpoints(w, podCount, name)
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  check(pods.length === podCount, `expected ${podCount} pods, found ${pods.length}: ${pods.join(', ')}`)
  const url = clusterUrl(svc)
  let round = 0
  const served = await eventually({
    what: `a round of ${count} requests from pod ${CLIENT_POD} to service ${name} (${url}) to all succeed and reach each of the pods ${pods.join(', ')}`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const urls = Array.from({ length: count }, (_, i) => `${url}?round=${round}&request=${i}`)
      round++
      const probes = await requestsFromPod(w, CLIENT_POD, urls)
      const served = new Map<string, number>(pods.map((p) => [p, 0]))
      for (const p of probes) {
        const host = p.curlExit === 0 && p.status === 200 ? (hostnameInBody(p.body) ?? 'unnamed') : 'failed'
        served.set(host, (served.get(host) ?? 0) + 1)
      }
      const failed = probes.filter((p) => p.curlExit !== 0 || p.status !== 200)
      const complete = [...served].every(([p, n]) => (pods.includes(p) ? n > 0 : n === 0))
      if (complete) return { done: true, value: served }
      const first = failed[0] ? `; first failure: ${describeProbe(failed[0])}` : ''
      return { done: false, seen: `answers per pod ${JSON.stringify(Object.fromEntries(served))}${first}` }
    },
  })
  attachServedTable(w, served, `requests-per-pod-${name}.tsv`)
}

// A request from the client pod to the service is refused (curl exit 7: connection refused), not left to time out.
export async function checkRefusedAtOnce(w: SvcWorld, serviceName: string): Promise<void> {
  const url = clusterUrl(await serviceNamed(w, serviceName))
  await eventually({
    what: `${url} (service ${serviceName}, no endpoints) to refuse a connection from pod ${CLIENT_POD} (curl exit 7)`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const [p] = await requestsFromPod(w, CLIENT_POD, [url])
      if (p?.curlExit === 7) return { done: true, value: p }
      return { done: false, seen: p ? describeProbe(p) : 'no answer' }
    },
  })
}

// The deployment's only pod reaches itself through its own service's cluster IP (hairpin traffic).
export async function checkPodReachesItself(w: SvcWorld): Promise<void> {
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  check(pods.length === 1, `hairpin needs a deployment of one pod, found ${pods.length}: ${pods.join(', ')}`)
  const pod = pods[0]!
  await waitForReadyEndpoints(w, 1)
  const probe = await firstAnswer(w, pod, clusterUrl(w.requireService()))
  const host = hostnameInBody(probe.body)
  check(host === pod, `pod ${pod} reached the service, but ${host ?? 'an unnamed server'} answered`)
}

// A request from the client pod to the service is answered by one of the deployment's pods (retried until the deadline).
export async function checkAnsweredFromClient(w: SvcWorld): Promise<void> {
  await waitForReadyEndpoints(w, w.requireDeployment().replicas)
  const probe = await firstAnswer(w, CLIENT_POD, clusterUrl(w.requireService()))
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  const host = hostnameInBody(probe.body)
  check(
    host && pods.includes(host),
    `${probe.url} was answered by "${host}", not one of the pods [${pods.join(', ')}]`,
  )
}

// A round of `tries` requests from the client pod to the service gets no answer at all (refused or timed out);
// rounds repeat until one does (kube-proxy may still be applying the change).
export async function checkNoAnswerFromClient(w: SvcWorld, tries: number): Promise<void> {
  await waitForReadyEndpoints(w, w.requireDeployment().replicas)
  const url = clusterUrl(w.requireService())
  let round = 0
  await eventually({
    what: `a round of ${tries} requests from pod ${CLIENT_POD} to ${url} to get no answer`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const urls = Array.from({ length: tries }, (_, i) => `${url}?round=${round}&expect-no-answer=${i}`)
      round++
      const answered = (await requestsFromPod(w, CLIENT_POD, urls)).filter((p) => p.curlExit === 0)
      if (answered.length === 0) return { done: true, value: undefined }
      return {
        done: false,
        seen: `${answered.length} of ${tries} answered: ${answered.map(describeProbe).join('; ')}`,
      }
    },
  })
}
