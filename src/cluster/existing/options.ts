// The existing provider's settings, from flags (`svcnet test --provider existing`) or the SVCNET_* environment.
import type { FlagSpec } from '../../flags/command.ts'
import { NODE_SHELL_IMAGE } from './node-shell.ts'

/** How the existing provider treats the current cluster. */
export interface ExistingOptions {
  /** The kubeconfig context; the current one when absent. */
  context?: string
  /** Create a privileged hostNetwork pod per node for node access (removed afterwards). @default false */
  allowPrivileged: boolean
  /** `host`: this machine is the outside client. @default 'none' */
  outside: 'host' | 'none'
  /** The user says the cluster assigns LoadBalancer ingress IPs. @default false */
  loadBalancer: boolean
  /** Names this run's node-shell namespace. */
  runId: string
  /** @default NODE_SHELL_IMAGE */
  nodeShellImage?: string
  /** Deadline for the node shells to be ready. @default 120000 */
  timeoutMs?: number
  log?: (message: string) => void
  /** Remove the node shells when the process gets SIGINT or SIGTERM (then exit 130). @default true */
  teardownOnSignal?: boolean
}

/** The flags `svcnet test --provider existing` takes. */
export const EXISTING_FLAGS: Record<string, FlagSpec> = {
  context: { type: 'string', value: 'NAME', description: 'kubeconfig context (default: the current one)' },
  'allow-privileged': {
    type: 'boolean',
    description:
      'create a privileged hostNetwork pod per node for node access (iptables-save); removed afterwards',
  },
  outside: {
    type: 'string',
    value: 'host|none',
    description: 'host: this machine is the client outside the cluster (it must reach the node IPs)',
    default: 'none',
  },
  'load-balancer': { type: 'boolean', description: 'the cluster assigns LoadBalancer ingress IPs' },
  'node-shell-image': {
    type: 'string',
    value: 'IMAGE',
    description: 'image of the node shells (needs nsenter)',
    default: NODE_SHELL_IMAGE,
  },
}

// Options from the environment (what `SVCNET_PROVIDER=existing` runs with); problems are thrown all at once.
export function existingOptionsFromEnv(
  env: Record<string, string | undefined>,
  runId: string,
): ExistingOptions {
  const outside = env.SVCNET_OUTSIDE ?? 'none'
  if (outside !== 'host' && outside !== 'none') {
    throw new Error(`SVCNET_OUTSIDE must be host or none, got ${JSON.stringify(outside)}`)
  }
  const yes = (v: string | undefined) => v === '1' || v === 'true'
  return {
    ...(env.SVCNET_CONTEXT ? { context: env.SVCNET_CONTEXT } : {}),
    allowPrivileged: yes(env.SVCNET_ALLOW_PRIVILEGED),
    outside,
    loadBalancer: yes(env.SVCNET_LOAD_BALANCER),
    runId,
    ...(env.SVCNET_NODE_SHELL_IMAGE ? { nodeShellImage: env.SVCNET_NODE_SHELL_IMAGE } : {}),
  }
}

// Options from parsed EXISTING_FLAGS.
export function existingOptionsFromFlags(
  flags: Record<string, string | number | boolean | string[] | undefined>,
  runId: string,
): ExistingOptions {
  const outside = String(flags.outside ?? 'none')
  if (outside !== 'host' && outside !== 'none') {
    throw new Error(`--outside must be host or none, got ${JSON.stringify(outside)}`)
  }
  return {
    ...(typeof flags.context === 'string' ? { context: flags.context } : {}),
    allowPrivileged: flags['allow-privileged'] === true,
    outside,
    loadBalancer: flags['load-balancer'] === true,
    runId,
    nodeShellImage: String(flags['node-shell-image'] ?? NODE_SHELL_IMAGE),
  }
}
