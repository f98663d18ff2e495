// UDP requests with real nc (netcat-openbsd, as in the agnhost image): from a client pod through the exec API, or from
// the outside client. Each sends `hostname` to a netexec UDP server, which answers with its pod's name.
import type { V1Pod } from '@kubernetes/client-node'
import { waitFor } from '../../src/wait/wait-for.ts'
import type { HttpProbe } from '../checks/http-probe.ts'
import type { SvcWorld } from '../world.ts'
import { execIn } from './client-pod.ts'
import { NETEXEC_IMAGE, describePod } from './workloads.ts'

/** The UDP client pod's name in every scenario. */
export const UDP_CLIENT_POD = 'udp-client'

/** Where UDP requests go. */
export interface UdpTarget {
  ip: string
  port: number
}

const MARK = '__svcnet_udp__'

// Creates the UDP client pod (the agnhost image, which has nc; pausing) and waits until it runs and is ready.
export async function createUdpClientPod(w: SvcWorld): Promise<V1Pod> {
  await w.core.createNamespacedPod({
    namespace: w.namespace,
    body: {
      metadata: { name: UDP_CLIENT_POD, labels: { role: 'udp-client' } },
      spec: { containers: [{ name: 'agnhost', image: NETEXEC_IMAGE, args: ['pause'] }] },
    },
  })
  return waitFor({
    what: `UDP client pod ${w.namespace}/${UDP_CLIENT_POD} to run and be ready`,
    timeoutMs: 60_000,
    check: async () => {
      const p = await w.core.readNamespacedPod({ name: UDP_CLIENT_POD, namespace: w.namespace })
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
      if (p.status?.phase === 'Running' && ready) return { done: true, value: p }
      return { done: false, seen: describePod(p) }
    },
  })
}

// The shell script that sends `count` UDP `hostname` requests at once (each from its own socket, or all from
// `sourcePort` when given, then one at a time) and prints one marked line per request: its index, nc's exit code
// and the answer. nc waits `waitSeconds` for an answer.
export function udpBatchScript(
  target: UdpTarget,
  count: number,
  sourcePort?: number,
  waitSeconds = 1,
): string {
  const source = sourcePort === undefined ? '' : ` -p ${sourcePort}`
  const one = (i: number) =>
    `r=$(echo hostname | nc -u -w ${waitSeconds}${source} ${target.ip} ${target.port} 2>&1); echo "${MARK} ${i} $? $r"`
  const all = Array.from({ length: count }, (_, i) => i)
  // A fixed source port can be bound by one socket at a time.
  if (sourcePort !== undefined) return all.map(one).join('; ')
  return `${all.map((i) => `(${one(i)}) &`).join(' ')} wait`
}

// Reads udpBatchScript's output back into one probe per request (url udp://ip:port, exit code of nc, the answer).
export function parseUdpBatch(target: UdpTarget, count: number, stdout: string): HttpProbe[] {
  const url = `udp://${target.ip}:${target.port}`
  const byIndex = new Map<number, HttpProbe>()
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${MARK} (\\d+) (\\d+) ?(.*)$`).exec(line)
    if (!m) continue
    const exit = Number(m[2])
    const answer = (m[3] ?? '').trim()
    byIndex.set(Number(m[1]), {
      url,
      curlExit: exit === 0 && answer === '' ? 28 : exit,
      status: 0,
      body: exit === 0 ? answer : '',
      error: exit === 0 ? (answer === '' ? 'no UDP answer' : '') : answer || `nc exit ${exit}`,
    })
  }
  const probes = Array.from({ length: count }, (_, i) => byIndex.get(i))
  const missing = probes.flatMap((p, i) => (p ? [] : [i]))
  if (missing.length > 0)
    throw new Error(`no result for UDP requests ${missing.join(', ')} to ${url}; output:\n${stdout}`)
  return probes as HttpProbe[]
}

// Sends `count` UDP requests from a pod of the scenario through the exec API and records every outcome.
export async function udpRequestsFromPod(
  w: SvcWorld,
  pod: string,
  target: UdpTarget,
  count: number,
  sourcePort?: number,
): Promise<HttpProbe[]> {
  const script = udpBatchScript(target, count, sourcePort)
  const r = await execIn(w, pod, ['sh', '-c', script], 15_000 + count * 2_000)
  const probes = parseUdpBatch(target, count, r.stdout)
  for (const p of probes) w.recordProbe(`pod ${pod}`, p)
  return probes
}

// Sends `count` UDP requests from the outside client and records every outcome.
export async function udpRequestsFromOutside(
  w: SvcWorld,
  target: UdpTarget,
  count: number,
): Promise<HttpProbe[]> {
  const r = await w.cluster.runOutside(['sh', '-c', udpBatchScript(target, count)], 15_000 + count * 2_000)
  const probes = parseUdpBatch(target, count, r.stdout)
  for (const p of probes) w.recordProbe('outside', p)
  return probes
}
