// What an existing cluster can do for scenarios, decided from what was found and what the user allowed.

/** What the existing provider found and was allowed. */
export interface ExistingFacts {
  /** Nodes that take ordinary pods (see isSchedulable). */
  schedulableNodes: number
  /** --allow-privileged: a privileged hostNetwork pod per node gives node access. */
  allowPrivileged: boolean
  /** `host`: this machine reaches the node IPs (it is outside the cluster); `none`: no outside client. */
  outside: 'host' | 'none'
  /** --load-balancer: the user says the cluster assigns LoadBalancer ingress IPs. */
  loadBalancer: boolean
}

/** A capability the cluster lacks, and what would give it. */
export interface MissingCapability {
  capability: string
  why: string
}

// The capabilities, and for each one missing the reason and what would provide it (printed at start).
export function existingCapabilities(f: ExistingFacts): {
  capabilities: Set<string>
  missing: MissingCapability[]
} {
  const capabilities = new Set<string>()
  const missing: MissingCapability[] = []
  const decide = (capability: string, has: boolean, why: string) =>
    has ? capabilities.add(capability) : missing.push({ capability, why })
  decide(
    'node-access',
    f.allowPrivileged,
    'node access needs a privileged hostNetwork pod per node; start with --allow-privileged (SVCNET_ALLOW_PRIVILEGED=1) to create them (removed afterwards)',
  )
  decide(
    'outside-client',
    f.outside === 'host',
    'no outside client; with --outside host (SVCNET_OUTSIDE=host) this machine is the client, if it reaches the node IPs',
  )
  decide(
    'two-workers',
    f.schedulableNodes >= 2,
    `${f.schedulableNodes} schedulable node(s); these scenarios need two`,
  )
  decide(
    'load-balancer',
    f.loadBalancer,
    'no LoadBalancer implementation declared; pass --load-balancer (SVCNET_LOAD_BALANCER=1) if the cluster assigns ingress IPs',
  )
  return { capabilities, missing }
}
