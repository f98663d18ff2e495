// Pure LoadBalancer IP assignment for the lab, as MetalLB or cloud-provider-kind would give it: each Service of
// type LoadBalancer (without a loadBalancerClass) gets one ingress IP from the lab pool.
import type { V1Service } from '@kubernetes/client-node'
import { objectKey } from '../../../../kube/object-key.ts'
import { formatIPv4, formatIPv4Range, parseIPv4, type IPv4Range } from '../../../../kube/ip.ts'
import { timeOf } from '../../../../kube/time.ts'

/** What a Service gets: an IP, or why none could be given. */
export type IngressAssignment = { ip: string } | { error: string }

// Whether the lab's load-balancer controller serves this Service: type LoadBalancer, no loadBalancerClass
// (a class names another implementation, as upstream), not being deleted.
export function wantsLoadBalancer(svc: V1Service): boolean {
  return (
    svc.spec?.type === 'LoadBalancer' &&
    !svc.spec.loadBalancerClass &&
    svc.metadata?.deletionTimestamp === undefined
  )
}

// The IPv4 ingress IP the Service's status holds, if any.
export function currentIngressIP(svc: V1Service): string | undefined {
  return svc.status?.loadBalancer?.ingress?.find((i) => i.ip)?.ip
}

const inPool = (pool: IPv4Range, ip: string | undefined): boolean => {
  const n = ip === undefined ? undefined : parseIPv4(ip)
  return n !== undefined && n >= pool.first && n <= pool.last
}

const oldestFirst = (a: V1Service, b: V1Service): number =>
  timeOf(a.metadata?.creationTimestamp) - timeOf(b.metadata?.creationTimestamp) ||
  objectKey(a.metadata).localeCompare(objectKey(b.metadata))

// Assigns ingress IPs to every Service that wants one, keyed by `namespace/name`. A Service keeps the pool IP it
// holds (unless spec.loadBalancerIP now asks for another; the oldest holder wins a clash); the others, oldest
// first, get the IP spec.loadBalancerIP requests, or the lowest free one.
export function assignIngressIPs(services: V1Service[], pool: IPv4Range): Map<string, IngressAssignment> {
  const wanting = services.filter(wantsLoadBalancer).sort(oldestFirst)
  const out = new Map<string, IngressAssignment>()
  const owner = new Map<string, string>()
  for (const svc of wanting) {
    const ip = currentIngressIP(svc)
    const requested = svc.spec?.loadBalancerIP
    if (!inPool(pool, ip) || (requested && requested !== ip) || owner.has(ip!)) continue
    owner.set(ip!, objectKey(svc.metadata))
    out.set(objectKey(svc.metadata), { ip: ip! })
  }
  let next = pool.first
  for (const svc of wanting) {
    const key = objectKey(svc.metadata)
    if (out.has(key)) continue
    const requested = svc.spec?.loadBalancerIP
    if (requested) {
      if (!inPool(pool, requested))
        out.set(key, {
          error: `spec.loadBalancerIP ${requested} is not in the lab's pool ${formatIPv4Range(pool)}`,
        })
      else if (owner.has(requested))
        out.set(key, { error: `${requested} is already used by Service ${owner.get(requested)}` })
      else {
        owner.set(requested, key)
        out.set(key, { ip: requested })
      }
      continue
    }
    while (next <= pool.last && owner.has(formatIPv4(next))) next++
    if (next > pool.last) {
      out.set(key, { error: `no available IPs in the lab's pool ${formatIPv4Range(pool)}` })
      continue
    }
    owner.set(formatIPv4(next), key)
    out.set(key, { ip: formatIPv4(next) })
  }
  return out
}
