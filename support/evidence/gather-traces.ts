// Finds where each failed request entered the cluster (sender's address, node, destination) and traces it there.
import type { V1Pod } from '@kubernetes/client-node'
import { apiMessage } from '../../src/kube/api-status.ts'
import type { SvcWorld } from '../world.ts'
import {
  addressesIn,
  requestsToTrace,
  routeOf,
  traceName,
  traceReport,
  type ResolvedRequest,
  type TracedRequest,
} from './request-trace.ts'
import { currentStep } from './scenario-state.ts'

/** One attachment. */
interface Piece {
  name: string
  mediaType: string
  content: string
}

/** The pods the DNS steps and the in-cluster steps send from (support/actions/dns.ts, client-pod.ts). */
const DNS_CLIENT_POD = 'dns-client'
const CLIENT_POD = 'client'

// A cluster IP for a Service name as a pod would write it (name, name.ns, name.ns.svc[.cluster.local]).
async function serviceIP(w: SvcWorld, host: string): Promise<string | undefined> {
  const [name, ns = w.namespace] = host.replace(/\.svc(\.cluster\.local)?\.?$/, '').split('.')
  if (!name) return undefined
  const svc = await w.core.readNamespacedService({ name, namespace: ns })
  const ip = svc.spec?.clusterIP
  return ip && ip !== 'None' ? ip : undefined
}

// Resolves sender, destination and node; throws a sentence when one of them cannot be told.
async function resolve(w: SvcWorld, req: TracedRequest, pods: readonly V1Pod[]): Promise<ResolvedRequest> {
  const dst = /^\d+\.\d+\.\d+\.\d+$/.test(req.host) ? req.host : await serviceIP(w, req.host)
  if (!dst) throw new Error(`${req.host} is neither an IPv4 address nor a Service with a cluster IP`)
  const base = { dst, port: req.port, proto: req.proto }
  if (req.from.startsWith('pod ')) {
    const name = req.from.slice(4)
    const pod = pods.find((p) => p.metadata?.name === name)
    const src = pod?.status?.podIP
    const node = pod?.spec?.nodeName
    if (!src || !node) throw new Error(`pod ${name} has no IP or node any more`)
    return { ...base, src, node, entered: `the node of pod ${name}` }
  }
  const route = routeOf((await w.cluster.runOutside(['ip', '-4', 'route', 'get', dst])).stdout)
  if (!route.src) throw new Error(`the outside client has no route to ${dst}`)
  const byIP = (ip: string | undefined) => w.cluster.nodes.find((n) => n.ip === ip)
  const direct = byIP(dst)
  if (direct)
    return { ...base, src: route.src, node: direct.name, entered: `the node whose IP was asked (${dst})` }
  const via = byIP(route.via)
  if (via)
    return {
      ...base,
      src: route.src,
      node: via.name,
      entered: `the node the outside client routes ${dst} through (via ${route.via})`,
    }
  throw new Error(`the outside client reaches ${dst} through no node (route: ${JSON.stringify(route)})`)
}

// The DNS query of a failed DNS step: UDP from the DNS client pod to the kube-dns Service.
async function dnsQuery(w: SvcWorld, pods: readonly V1Pod[]): Promise<TracedRequest | undefined> {
  if (!/resolv|DNS|NXDOMAIN|SRV|CNAME/i.test(currentStep(w))) return undefined
  if (!pods.some((p) => p.metadata?.name === DNS_CLIENT_POD)) return undefined
  const dns = await w.core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' })
  const ip = dns.spec?.clusterIP
  if (!ip) return undefined
  return {
    from: `pod ${DNS_CLIENT_POD}`,
    host: ip,
    port: 53,
    proto: 'udp',
    why: `the step "${currentStep(w)}" failed`,
  }
}

// With no request made yet (the check failed before its first), the one the client pod would send to the service.
function wouldBeSent(w: SvcWorld, pods: readonly V1Pod[]): TracedRequest | undefined {
  const ip = w.service?.spec?.clusterIP
  const port = w.service?.spec?.ports?.[0]
  if (!ip || ip === 'None' || !port || !pods.some((p) => p.metadata?.name === CLIENT_POD)) return undefined
  return {
    from: `pod ${CLIENT_POD}`,
    host: ip,
    port: port.port,
    proto: port.protocol === 'UDP' ? 'udp' : 'tcp',
    why: `no request was made before the failure; this is where one from pod ${CLIENT_POD} to service ${w.service?.metadata?.name} would go now`,
  }
}

// One trace per failed request (and the DNS query of a failed DNS step), through the node dumps read for the evidence.
export async function traceFailedRequests(w: SvcWorld, saves: ReadonlyMap<string, string>): Promise<Piece[]> {
  if (!w.cluster.capabilities.has('node-access')) return []
  const pods = w.namespace ? (await w.core.listNamespacedPod({ namespace: w.namespace })).items : []
  const requests = requestsToTrace(w.probes)
  const dns = await dnsQuery(w, pods).catch(() => undefined)
  if (dns) requests.unshift(dns)
  const unsent = requests.length === 0 ? wouldBeSent(w, pods) : undefined
  if (unsent) requests.push(unsent)
  const out: Piece[] = []
  for (const req of requests) {
    let r: ResolvedRequest
    try {
      r = await resolve(w, req, pods)
    } catch (err) {
      out.push({
        name: `proxy trace of the request from ${req.from} to ${req.host}:${req.port}.error.txt`,
        mediaType: 'text/plain',
        content: `could not trace the request from ${req.from} to ${req.host}:${req.port} (${req.why}): ${apiMessage(err)}`,
      })
      continue
    }
    const save = saves.get(r.node)
    if (save === undefined) continue
    const ips = addressesIn((await w.cluster.runOnNode(r.node, ['ip', '-4', '-o', 'addr', 'show'])).stdout)
    out.push({ name: traceName(r), mediaType: 'text/plain', content: traceReport(req, r, save, ips) })
  }
  return out
}
