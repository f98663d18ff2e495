// Checks a reachability table: each row's request, repeated until it has the row's result or the deadline passes.
import { CLIENT_POD, requestsFromPod } from '../actions/client-pod.ts'
import {
  clusterUrl,
  nodePort,
  servicePort,
  waitForIngressIP,
  waitForReadyEndpoints,
} from '../actions/services.ts'
import { requestFromOutside } from '../actions/traffic.ts'
import { describeTo, outcomeIs, type ReachabilityRow } from '../parse/reachability.ts'
import type { SvcWorld } from '../world.ts'
import { CheckAssertionError, check, eventually } from './check-failed.ts'
import { describeProbe, type HttpProbe } from './http-probe.ts'

// The URL a row's request goes to (for the load-balancer IP, once the service has one).
async function urlOf(w: SvcWorld, row: ReachabilityRow): Promise<string> {
  if (row.to.kind === 'cluster IP') return clusterUrl(w.requireService())
  if (row.to.kind === 'load-balancer IP') return `http://${await waitForIngressIP(w)}:${servicePort(w).port}/`
  return `http://${w.node(row.to.node).ip}:${nodePort(w)}/`
}

// One request of a row, from where the row says; a row that wants no answer waits 2 s for one, not 5.
async function request(w: SvcWorld, row: ReachabilityRow, url: string): Promise<HttpProbe> {
  if (row.from === 'outside client')
    return requestFromOutside(w, url, row.result === 'no answer' ? 2 : undefined)
  const [p] = await requestsFromPod(w, CLIENT_POD, [url])
  if (!p) throw new Error(`no answer record for ${url} from pod ${CLIENT_POD}`)
  return p
}

// Every row of the table gets its result; the failure lists each row that did not, with what it got.
export async function checkReachability(w: SvcWorld, rows: readonly ReachabilityRow[]): Promise<void> {
  await waitForReadyEndpoints(w, w.requireDeployment().replicas)
  const wrong: string[] = []
  const table: string[] = ['from\tto\twanted\tgot']
  for (const row of rows) {
    const url = await urlOf(w, row)
    let last: HttpProbe | undefined
    const ok = await eventually({
      what: `${row.text} (${url})`,
      timeoutMs: 20_000,
      intervalMs: 500,
      check: async () => {
        last = await request(w, row, url)
        return outcomeIs(row.result, last.curlExit, last.status)
          ? { done: true, value: true }
          : { done: false, seen: describeProbe(last) }
      },
    }).catch((err: unknown) => {
      // A row that never got its result is listed below with what it got; anything else is a harness error.
      if (err instanceof CheckAssertionError) return false
      throw err
    })
    const got = last ? describeProbe(last) : 'no request made'
    table.push(`${row.from}\t${describeTo(row.to)}\t${row.result}\t${got}`)
    if (!ok) wrong.push(`${row.text}, but got ${got}`)
  }
  w.attach(table.join('\n'), { mediaType: 'text/tab-separated-values', fileName: 'reachability.tsv' })
  check(wrong.length === 0, () => `${wrong.length} of ${rows.length} rows did not hold:\n${wrong.join('\n')}`)
}
