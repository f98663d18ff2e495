// UDP conntrack cleanup after a sync (upstream's conntrack cleanup): UDP has no connection to end, so a client that
// keeps its source port keeps hitting a removed endpoint (or the REJECT of a service that had none) until the entry
// expires. Which entries to delete is a pure function of the previous and the new snapshot.
import { run } from '../exec/run.ts'
import { categorizeEndpoints } from './categorize.ts'
import type { IPFamily } from './ip-family.ts'
import { servicePortKey, type ProxySnapshot, type ServicePortInfo } from './snapshot.ts'

/** Deletes conntrack entries; returns how many were deleted. */
export interface ConntrackRunner {
  // Runs `conntrack -D <filter>`; zero matching entries is not an error.
  deleteEntries(filter: readonly string[]): Promise<number>
}

// The endpoint IPs a UDP service port sends traffic to (ready ones, else serving+terminating ones).
function usedEndpointIPs(snapshot: ProxySnapshot, svc: ServicePortInfo): Set<string> {
  const eps = snapshot.endpoints.get(servicePortKey(svc.name, svc.protocol)) ?? []
  const { allReachable } = categorizeEndpoints(eps, svc)
  return new Set(allReachable.map((e) => e.ip))
}

// Every address a service port is reached at: cluster IP, external IPs, LB IPs.
function serviceIPs(svc: ServicePortInfo): string[] {
  return [svc.clusterIP, ...svc.externalIPs, ...svc.loadBalancerVIPs]
}

// The `conntrack -D` filters to run after a sync that went from `prev` to `next` (UDP only), deduplicated.
export function conntrackCleanup(prev: ProxySnapshot | undefined, next: ProxySnapshot): string[][] {
  const out = new Map<string, string[]>()
  const add = (args: string[]) => out.set(args.join(' '), args)
  const udp = (s: ProxySnapshot | undefined) =>
    new Map(
      (s?.services ?? [])
        .filter((p) => p.protocol === 'UDP')
        .map((p) => [servicePortKey(p.name, p.protocol), p]),
    )
  const before = udp(prev)
  const after = udp(next)
  for (const [key, old] of before) {
    const now = after.get(key)
    if (!now) {
      // The service port is gone: nothing may keep using its cluster IP.
      add(['--orig-dst', old.clusterIP, '-p', 'udp'])
      continue
    }
    const stillUsed = usedEndpointIPs(next, now)
    for (const ep of usedEndpointIPs(prev!, old)) {
      if (stillUsed.has(ep)) continue
      // An endpoint went away: flows DNATed to it must be re-balanced.
      for (const ip of serviceIPs(old)) add(['--orig-dst', ip, '--dst-nat', ep, '-p', 'udp'])
      if (old.nodePort) add(['-p', 'udp', '--dport', String(old.nodePort), '--dst-nat', ep])
    }
  }
  for (const [key, svc] of after) {
    const old = before.get(key)
    const had = old && prev ? usedEndpointIPs(prev, old).size > 0 : false
    if (had || usedEndpointIPs(next, svc).size === 0) continue
    // The port had no endpoint (traffic was REJECTed and that verdict sits in conntrack): clear it now that it has one.
    for (const ip of serviceIPs(svc)) add(['--orig-dst', ip, '-p', 'udp'])
    if (svc.nodePort) add(['-p', 'udp', '--dport', String(svc.nodePort)])
  }
  return [...out.values()]
}

/** Where the conntrack binary runs. */
export interface SystemConntrackOptions {
  netns?: string
  /** The table's family: IPv6 adds `-f ipv6` (conntrack's default is IPv4). @default IPv4 */
  family?: IPFamily
  /** @default 10000 */
  timeoutMs?: number
}

// Runs the real conntrack binary through src/exec.
export class SystemConntrack implements ConntrackRunner {
  readonly #o: SystemConntrackOptions
  constructor(opts: SystemConntrackOptions = {}) {
    this.#o = opts
  }
  async deleteEntries(filter: readonly string[]): Promise<number> {
    const args = ['-D', ...(this.#o.family === 'IPv6' ? ['-f', 'ipv6'] : []), ...filter]
    const r = await run('conntrack', args, {
      netns: this.#o.netns,
      timeoutMs: this.#o.timeoutMs ?? 10_000,
      allowFailure: true,
    })
    const deleted = Number(/(\d+) flow entries have been deleted/.exec(r.stderr + r.stdout)?.[1] ?? 0)
    // conntrack exits 1 when nothing matched ("0 flow entries have been deleted"): not an error.
    if (r.exitCode !== 0 && !(r.exitCode === 1 && deleted === 0 && /flow entries/.test(r.stderr + r.stdout)))
      throw new Error(`conntrack -D ${filter.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim()}`)
    return deleted
  }
}
