// Checks of what the background client saw while the cluster changed.
import type { SvcWorld } from '../world.ts'
import { check } from './check-failed.ts'
import { describeProbe, hostnameInBody } from './http-probe.ts'

// Stops the background client; at most `maxFailedPercent` of its requests failed (0: none), and it made some.
export async function checkBackgroundFailures(w: SvcWorld, maxFailedPercent: number): Promise<void> {
  const client = w.background
  check(client, 'no background client was started')
  w.background = undefined
  const probes = await client.stop()
  const served = new Map<string, number>()
  for (const p of probes) {
    const who = p.curlExit === 0 && p.status === 200 ? (hostnameInBody(p.body) ?? 'unnamed') : 'failed'
    served.set(who, (served.get(who) ?? 0) + 1)
  }
  w.attach(['answered by\trequests', ...[...served].map(([p, n]) => `${p}\t${n}`)].join('\n'), {
    mediaType: 'text/tab-separated-values',
    fileName: 'background-requests.tsv',
  })
  check(probes.length >= 10, `the background client made only ${probes.length} requests; too few to judge`)
  const failed = probes.filter((p) => p.curlExit !== 0 || p.status !== 200)
  const percent = (100 * failed.length) / probes.length
  check(
    percent <= maxFailedPercent,
    () =>
      `${failed.length} of ${probes.length} background requests to ${client.url} failed (${percent.toFixed(1)}%, at most ${maxFailedPercent}% allowed):\n${failed.slice(0, 10).map(describeProbe).join('\n')}`,
  )
}
