// Requests from outside the cluster, and telling which pod answered each one.
import type { V1Pod } from '@kubernetes/client-node'
import { curlArgv, describeProbe, hostnameInBody, parseCurl, type HttpProbe } from '../checks/http-probe.ts'
import { check, eventually } from '../checks/check-failed.ts'
import type { SvcWorld } from '../world.ts'

// Makes one request from the outside client and records it (a repeat of the last outcome only counts up).
export async function requestFromOutside(
  w: SvcWorld,
  url: string,
  timeoutSeconds?: number,
): Promise<HttpProbe> {
  const probe = parseCurl(url, await w.cluster.runOutside(curlArgv(url, timeoutSeconds)))
  w.recordProbe('outside', probe)
  return probe
}

// Waits until a request from outside gets HTTP 200 with a body that contains `text` (any non-empty body when '').
export async function waitForPage(
  w: SvcWorld,
  url: string,
  text: string,
  timeoutMs = 30_000,
): Promise<HttpProbe> {
  return eventually({
    what: `${url} to answer HTTP 200${text ? ` containing "${text}"` : ''} from outside the cluster`,
    timeoutMs,
    intervalMs: 500,
    check: async () => {
      const p = await requestFromOutside(w, url)
      if (p.curlExit === 0 && p.status === 200 && p.body.length > 0 && p.body.includes(text)) {
        return { done: true, value: p }
      }
      return { done: false, seen: describeProbe(p) }
    },
  })
}

// Counts, per pod, the log lines that mention `marker` (nginx logs every request line with its query string).
export async function countMarkerInLogs(
  w: SvcWorld,
  pods: V1Pod[],
  marker: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const pod of pods) {
    const name = pod.metadata!.name!
    const log = await w.core.readNamespacedPodLog({ name, namespace: w.namespace })
    counts.set(name, log.split('\n').filter((l) => l.includes(marker)).length)
  }
  return counts
}

// Sends `count` requests from outside, spread over every node's IP at the node port, and says which pod served each.
export async function spreadOverNodePorts(
  w: SvcWorld,
  count: number,
  nodePort: number,
  pods: V1Pod[],
): Promise<Map<string, number>> {
  const marker = `svcnet-probe=${w.namespace}-${Date.now().toString(36)}`
  const failures: string[] = []
  const byBody = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const node = w.cluster.nodes[i % w.cluster.nodes.length]!
    const p = await requestFromOutside(w, `http://${node.ip}:${nodePort}/?${marker}-${i}`)
    if (p.curlExit !== 0 || p.status !== 200) failures.push(describeProbe(p))
    const host = hostnameInBody(p.body)
    if (host) byBody.set(host, (byBody.get(host) ?? 0) + 1)
  }
  check(
    failures.length === 0,
    () => `${failures.length} of ${count} requests failed:\n${failures.join('\n')}`,
  )
  // Bodies that name the pod are proof enough; otherwise (nginx) the pods' access logs tell.
  return byBody.size > 0 ? byBody : countMarkerInLogs(w, pods, marker)
}

// The first global IPv4 address in `ip -4 -o addr show` output.
export function firstGlobalIPv4(ipOutput: string): string | undefined {
  return /\binet (\d+\.\d+\.\d+\.\d+)\/\d+ .*scope global/.exec(ipOutput)?.[1]
}

// The outside client's own address.
export async function outsideClientAddress(w: SvcWorld): Promise<string> {
  const r = await w.cluster.runOutside(['ip', '-4', '-o', 'addr', 'show', 'scope', 'global'])
  const ip = firstGlobalIPv4(r.stdout)
  if (!ip) throw new Error(`the outside client has no global IPv4 address: ${r.stdout || r.stderr}`)
  return ip
}
