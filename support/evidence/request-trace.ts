// The `svcnet proxy trace` of a failed request: its packet followed through the live rules of the node it entered.
import { parseIptablesSave } from '../../src/proxy/iptables/restore-parse.ts'
import { formatTrace } from '../../src/proxy/trace/format.ts'
import { tracePacket, type TracePacket } from '../../src/proxy/trace/trace.ts'
import type { ProbeRecord } from '../world.ts'

/** A request to trace: who sent it and where to. */
export interface TracedRequest {
  /** As the request log says: `outside`, `pod <name>`. */
  from: string
  host: string
  port: number
  proto: 'tcp' | 'udp'
  /** Why this one: "failed: …" or "last request". */
  why: string
}

// Whether a recorded request failed: curl gave up (refused, timed out, no name) or the answer was not HTTP 2xx.
export function probeFailed(p: Pick<ProbeRecord, 'outcome'>): boolean {
  if (/: curl exit [1-9]\d* /.test(p.outcome)) return true
  const status = /: HTTP (\d{3})/.exec(p.outcome)?.[1]
  return status !== undefined && !status.startsWith('2')
}

// The host and port a URL asks for (80/443 when it names none).
export function targetOf(url: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(url)
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80
    return { host: u.hostname, port }
  } catch {
    // Not a URL (a request log written by hand): nothing to trace.
    return undefined
  }
}

// The requests worth tracing, newest first: each failed (sender, host:port) once, at most `max`; when none failed,
// the last request (the check was about it). Requests from this machine (port-forward) never crossed a node's rules.
export function requestsToTrace(probes: readonly ProbeRecord[], max = 3): TracedRequest[] {
  const out: TracedRequest[] = []
  const seen = new Set<string>()
  const candidates = probes.filter((p) => p.from === 'outside' || p.from.startsWith('pod '))
  for (const p of [...candidates].reverse()) {
    if (!probeFailed(p)) continue
    const t = targetOf(p.url)
    const key = `${p.from} ${t?.host}:${t?.port}`
    if (!t || seen.has(key)) continue
    seen.add(key)
    out.push({ from: p.from, ...t, proto: 'tcp', why: `failed: ${p.outcome}` })
    if (out.length === max) break
  }
  const last = candidates.at(-1)
  const t = last && targetOf(last.url)
  if (out.length === 0 && last && t)
    out.push({ from: last.from, ...t, proto: 'tcp', why: `last request: ${last.outcome}` })
  return out
}

// The IPv4 addresses in `ip -4 -o addr show` output.
export function addressesIn(ipAddr: string): string[] {
  return [...ipAddr.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!)
}

// The gateway and source address in `ip -4 route get ADDR` output.
export function routeOf(ipRoute: string): { via?: string; src?: string } {
  const via = /\bvia (\S+)/.exec(ipRoute)?.[1]
  const src = /\bsrc (\S+)/.exec(ipRoute)?.[1]
  return { ...(via ? { via } : {}), ...(src ? { src } : {}) }
}

/** Where a request entered the cluster and the packet it sent, once resolved. */
export interface ResolvedRequest {
  src: string
  dst: string
  port: number
  proto: 'tcp' | 'udp'
  node: string
  /** How the node was chosen. */
  entered: string
}

// The attachment: what was traced and why, then the trace as `svcnet proxy trace --from-node` prints it.
export function traceReport(
  req: TracedRequest,
  r: ResolvedRequest,
  save: string,
  nodeIPs: readonly string[],
): string {
  const pkt: TracePacket = { src: r.src, dst: r.dst, dport: r.port, proto: r.proto }
  const opts = { localIPs: nodeIPs }
  let body: string
  try {
    const dump = parseIptablesSave(save)
    const entry = dump.get('nat')?.rules.get('PREROUTING')
    body = !dump.has('nat')
      ? `${r.node} has no nat table at all: nothing on it redirects the packet, which goes to ${r.dst}:${r.port} unchanged (no kube-proxy has programmed this node).\n`
      : `${entry?.length === 0 ? `Note: the nat PREROUTING chain of ${r.node} has no rule at all (the nat table was flushed, or never programmed), so no service address is translated there.\n\n` : ''}${formatTrace(pkt, opts, tracePacket(dump, pkt, opts))}`
  } catch (err) {
    body = `the trace could not follow the packet through ${r.node}'s rules: ${(err as Error).message}\n`
  }
  const host = req.host === r.dst ? r.dst : `${req.host} (${r.dst})`
  return [
    `The ${r.proto.toUpperCase()} request from ${req.from} (${r.src}) to ${host}:${r.port}, followed through the live iptables-save of ${r.node} as \`svcnet proxy trace --from-node\` does on that node.`,
    `Traced because: ${req.why}`,
    `Entered at: ${r.entered}`,
    '',
    body,
  ].join('\n')
}

// The attachment's name, e.g. "proxy trace: 10.244.1.5 → 10.96.0.12:80 on lab-worker.txt".
export function traceName(r: ResolvedRequest): string {
  return `proxy trace: ${r.src} → ${r.dst}:${r.port}${r.proto === 'udp' ? '/udp' : ''} on ${r.node}.txt`
}
