// Checks of the EndpointSlices the endpoint controller keeps for a Service.
import { waitForReadyEndpoints } from '../actions/services.ts'
import { deploymentPods } from '../actions/workloads.ts'
import type { SvcWorld } from '../world.ts'
import { check } from './check-failed.ts'

// The service's ready endpoints are exactly the IPs of the deployment's `count` pods (and attached as a table).
export async function checkReadyEndpointsArePods(w: SvcWorld, count: number): Promise<void> {
  const ready = (await waitForReadyEndpoints(w, count)).sort()
  const pods = await deploymentPods(w)
  const byIp = new Map(pods.map((p) => [p.status?.podIP ?? '?', p.metadata?.name ?? '?']))
  w.attach(['ready endpoint\tpod', ...ready.map((ip) => `${ip}\t${byIp.get(ip) ?? '(no pod)'}`)].join('\n'), {
    mediaType: 'text/tab-separated-values',
    fileName: 'ready-endpoints.tsv',
  })
  const podIps = [...byIp.keys()].sort()
  check(
    pods.length === count && ready.join() === podIps.join(),
    `the service's ready endpoints are [${ready.join(', ')}], but its ${pods.length} pods have the IPs [${podIps.join(', ')}]`,
  )
}
