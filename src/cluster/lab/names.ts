// The lab's naming scheme: every name it creates, and how to read a name back into (cluster, runId, what).
import { createHash } from 'node:crypto'

/** Every namespace, daemon argv and run directory of a lab starts with this. */
export const NAME_PREFIX = 'svcnet-'

/** A run id: 4 to 6 lowercase hex characters. */
export const RUN_ID_PATTERN = /^[0-9a-f]{4,6}$/

/** A DNS label (RFC 1123): lowercase alphanumerics and '-', starting and ending alphanumeric. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** Where lab run directories live on the host. */
export const RUN_ROOT = '/run/svcnet'

/** What a lab namespace is for. */
export type LabNetnsKind = 'switch' | 'outside' | 'node' | 'pod'

/** A lab namespace name read back into its parts. */
export interface ParsedLabNetns {
  cluster: string
  runId: string
  /** The part after `svcnet-<cluster>-<runId>-`: switch, outside, control-plane, worker, worker2, pod-<8 hex>. */
  suffix: string
  kind: LabNetnsKind
}

const NETNS_PATTERN =
  /^svcnet-([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)-([0-9a-f]{4,6})-(switch|outside|control-plane|worker(?:[2-9]|[1-9][0-9])?|pod-[0-9a-f]{8})$/

const RUN_DIR_PATTERN = /^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)-([0-9a-f]{4,6})$/

// The prefix shared by every namespace of one lab run: `svcnet-<cluster>-<runId>-`.
export function labPrefix(cluster: string, runId: string): string {
  return `${NAME_PREFIX}${cluster}-${runId}-`
}

// The host directory of one lab run: /run/svcnet/<cluster>-<runId>.
export function runDirFor(cluster: string, runId: string): string {
  return `${RUN_ROOT}/${cluster}-${runId}`
}

// Reads a namespace name back into (cluster, runId, suffix, kind); undefined when it is not a lab name.
export function parseLabNetns(name: string): ParsedLabNetns | undefined {
  const m = NETNS_PATTERN.exec(name)
  if (!m) return undefined
  const suffix = m[3]!
  const kind: LabNetnsKind =
    suffix === 'switch' || suffix === 'outside' ? suffix : suffix.startsWith('pod-') ? 'pod' : 'node'
  return { cluster: m[1]!, runId: m[2]!, suffix, kind }
}

// Reads a run directory's base name (`<cluster>-<runId>`) back into its parts.
export function parseRunDirName(base: string): { cluster: string; runId: string } | undefined {
  const m = RUN_DIR_PATTERN.exec(base)
  return m ? { cluster: m[1]!, runId: m[2]! } : undefined
}

// The namespace suffix of a node: `control-plane`, then `worker`, `worker2`, `worker3`… (kind's node names).
export function nodeSuffix(role: 'control-plane' | 'worker', workerNumber = 1): string {
  if (role === 'control-plane') return 'control-plane'
  return workerNumber === 1 ? 'worker' : `worker${workerNumber}`
}

// The switch-side veth of a namespace, inside the switch namespace: svcnet-cp, svcnet-w1…svcnet-w20, svcnet-out.
export function switchPortName(suffix: string): string {
  if (suffix === 'control-plane') return `${NAME_PREFIX}cp`
  if (suffix === 'outside') return `${NAME_PREFIX}out`
  const m = /^worker([0-9]*)$/.exec(suffix)
  if (m) return `${NAME_PREFIX}w${m[1] || '1'}`
  throw new TypeError(`switchPortName: no switch port for namespace suffix "${suffix}"`)
}

// Eight hex characters naming a pod: the first 8 hex digits of a UUID uid, else of sha256(uid).
export function uidHex8(uid: string): string {
  const compact = uid.toLowerCase().replaceAll('-', '')
  if (/^[0-9a-f]{8}/.test(compact)) return compact.slice(0, 8)
  return createHash('sha256').update(uid).digest('hex').slice(0, 8)
}

/** Files the daemon writes into the lab's runDir. */
export const RUN_FILES = {
  socket: 'apiserver.sock',
  kubeconfig: 'kubeconfig',
  daemonLog: 'daemon.log',
  forwarderLog: 'forwarder.log',
  podLogs: 'pods',
} as const
