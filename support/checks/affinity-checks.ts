// Checks of session affinity: which pods answer a client pod's requests.
import { CLIENT_POD, requestsFromPod } from '../actions/client-pod.ts'
import { clusterUrl, waitForReadyEndpoints } from '../actions/services.ts'
import type { SvcWorld } from '../world.ts'
import { eventually } from './check-failed.ts'
import { describeProbe, hostnameInBody } from './http-probe.ts'

// A round of `count` requests from the client pod to the service all succeed and are all answered by one pod
// (rounds repeat until one does: kube-proxy may still be applying the change).
export async function checkAllSamePod(w: SvcWorld, count: number): Promise<void> {
  await waitForReadyEndpoints(w, w.requireDeployment().replicas)
  const url = clusterUrl(w.requireService())
  let round = 0
  await eventually({
    what: `a round of ${count} requests from pod ${CLIENT_POD} to ${url} to all succeed and be answered by one pod`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const urls = Array.from({ length: count }, (_, i) => `${url}?round=${round}&sticky=${i}`)
      round++
      const probes = await requestsFromPod(w, CLIENT_POD, urls)
      const failed = probes.filter((p) => p.curlExit !== 0 || p.status !== 200)
      const hosts = new Set(probes.map((p) => hostnameInBody(p.body) ?? 'unnamed'))
      if (failed.length === 0 && hosts.size === 1) return { done: true, value: undefined }
      return {
        done: false,
        seen: `${hosts.size} pods answered (${[...hosts].join(', ')}); ${failed.length} failed${failed[0] ? `, first: ${describeProbe(failed[0])}` : ''}`,
      }
    },
  })
}

// Single requests spaced more than `gapMs` apart (longer than the affinity timeout) are answered by more than one pod.
export async function checkMovesAfterTimeout(w: SvcWorld, gapMs: number): Promise<void> {
  const url = clusterUrl(w.requireService())
  const seen = new Set<string>()
  await eventually({
    what: `requests from pod ${CLIENT_POD} to ${url}, ${gapMs}ms apart, to be answered by more than one pod`,
    timeoutMs: gapMs * 12,
    intervalMs: gapMs + 1000,
    check: async () => {
      const [p] = await requestsFromPod(w, CLIENT_POD, [`${url}?after-timeout=${seen.size}`])
      const host = p && p.curlExit === 0 && p.status === 200 ? hostnameInBody(p.body) : undefined
      if (host) seen.add(host)
      if (seen.size > 1) return { done: true, value: undefined }
      return {
        done: false,
        seen: `answered by ${[...seen].join(', ') || 'nobody'}${p ? `; last: ${describeProbe(p)}` : ''}`,
      }
    },
  })
}
