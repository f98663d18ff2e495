// The rules that catch a service port's traffic: nat KUBE-SERVICES / KUBE-NODEPORTS jumps and their filter-table
// counterparts (REJECT/DROP when there is nowhere to send it, the LB firewall DROP, the health-check ACCEPT).
import type { ServiceRenderContext } from './render-context.ts'
import { comment, type RuleBuffer } from './rule-buffer.ts'
import type { ServicePortPlan } from './service-plan.ts'

/** One capture rule: `-A CHAIN -m comment … [before] -m P -p P [-d DST] --dport PORT [after] -j TARGET`. */
interface Capture {
  chain: string
  comment: string
  /** Matches placed before the protocol match (addrtype in KUBE-EXTERNAL-SERVICES node-port rules). */
  before?: string[]
  dst?: string
  dport: string
  /** Matches placed after `--dport` (the nfacct counter). */
  after?: string[]
  target: string
}

// Writes one capture rule in upstream's match order.
function capture(buf: RuleBuffer, plan: ServicePortPlan, c: Capture): void {
  buf.rule(
    '-A',
    c.chain,
    ...comment(c.comment),
    ...(c.before ?? []),
    ...plan.match,
    ...(c.dst === undefined ? [] : ['-d', c.dst]),
    '--dport',
    c.dport,
    ...(c.after ?? []),
    '-j',
    c.target,
  )
}

// Writes every capture rule of one service port, in upstream's order (cluster IP, external IPs, LB IPs, node port).
export function writeCaptures(ctx: ServiceRenderContext, plan: ServicePortPlan): void {
  const { filter, nat } = ctx
  const { svc, name, port } = plan
  const noEndpoints = { comment: plan.noEndpointsComment, target: plan.noEndpointsTarget }

  // Cluster IP: jump to the internal policy chain, or (nowhere to go) REJECT/DROP in filter so clients fail fast.
  if (plan.hasInternalEndpoints) {
    capture(nat, plan, {
      chain: 'KUBE-SERVICES',
      comment: `${name} cluster IP`,
      dst: svc.clusterIP,
      dport: port,
      target: plan.internalTrafficChain,
    })
  } else {
    capture(filter, plan, { chain: 'KUBE-SERVICES', dst: svc.clusterIP, dport: port, ...noEndpoints })
  }

  // External IPs go through KUBE-EXT whenever there are endpoints anywhere: KUBE-EXT itself short-circuits pod and
  // host traffic to the cluster endpoints, so only traffic from outside sees "no local endpoints" (the filter DROP).
  for (const ip of svc.externalIPs) {
    if (plan.hasEndpoints) {
      capture(nat, plan, {
        chain: 'KUBE-SERVICES',
        comment: `${name} external IP`,
        dst: ip,
        dport: port,
        target: plan.chains.external,
      })
    }
    if (!plan.hasExternalEndpoints) {
      capture(filter, plan, { chain: 'KUBE-EXTERNAL-SERVICES', dst: ip, dport: port, ...noEndpoints })
    }
  }

  // LB IPs: as external IPs, but through KUBE-FW when loadBalancerSourceRanges restrict them. Whatever KUBE-FW lets
  // fall through is dropped by filter KUBE-PROXY-FIREWALL (nat chains cannot drop).
  for (const ip of svc.loadBalancerVIPs) {
    if (plan.hasEndpoints) {
      capture(nat, plan, {
        chain: 'KUBE-SERVICES',
        comment: `${name} loadbalancer IP`,
        dst: ip,
        dport: port,
        target: plan.loadBalancerTrafficChain,
      })
    }
    if (plan.usesFirewallChain) {
      capture(filter, plan, {
        chain: 'KUBE-PROXY-FIREWALL',
        comment: `${name} traffic not accepted by ${plan.chains.firewall}`,
        dst: ip,
        dport: port,
        target: 'DROP',
      })
    }
  }
  if (!plan.hasExternalEndpoints) {
    for (const ip of svc.loadBalancerVIPs) {
      capture(filter, plan, { chain: 'KUBE-EXTERNAL-SERVICES', dst: ip, dport: port, ...noEndpoints })
    }
  }

  // Node ports: KUBE-SERVICES' last rule sends local-destination traffic to KUBE-NODEPORTS. Node ports are not
  // subject to loadBalancerSourceRanges, so they jump to KUBE-EXT directly.
  if (svc.nodePort !== 0) {
    const nodePort = String(svc.nodePort)
    if (plan.hasEndpoints) {
      if (ctx.localhostNodePortsNfacct) {
        // Counts localhost node-port packets (route_localnet's cost) in an nfacct counter before the real jump.
        capture(nat, plan, {
          chain: 'KUBE-NODEPORTS',
          comment: name,
          dst: '127.0.0.0/8',
          dport: nodePort,
          after: ['-m', 'nfacct', '--nfacct-name', 'localhost_nps_accepted_pkts'],
          target: plan.chains.external,
        })
      }
      capture(nat, plan, {
        chain: 'KUBE-NODEPORTS',
        comment: name,
        dport: nodePort,
        target: plan.chains.external,
      })
    }
    if (!plan.hasExternalEndpoints) {
      capture(filter, plan, {
        chain: 'KUBE-EXTERNAL-SERVICES',
        before: ['-m', 'addrtype', '--dst-type', 'LOCAL'],
        dport: nodePort,
        ...noEndpoints,
      })
    }
  }

  // The LB's health checks reach kube-proxy's own per-service server; accept them even under a default-DROP INPUT.
  if (svc.healthCheckNodePort !== 0) {
    filter.rule(
      '-A KUBE-NODEPORTS',
      ...comment(`${name} health check node port`),
      '-m tcp -p tcp --dport',
      String(svc.healthCheckNodePort),
      '-j ACCEPT',
    )
  }
}
