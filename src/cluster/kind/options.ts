// The kind provider's settings: defaults, validation (every problem at once), flags, and the SVCNET_* environment.
import type { FlagSpec } from '../../flags/command.ts'

/** How a kind cluster for the suite is made and what runs in it. */
export interface KindOptions {
  /** The kind cluster name (node containers are `<cluster>-control-plane`, `<cluster>-worker`, …). */
  cluster: string
  /** @default 1 */
  controlPlanes: number
  /** @default 2 */
  workers: number
  /** kind's node image (`kindest/node:v1.x.y`); kind's default when absent. */
  nodeImage?: string
  /** `svcnet`: kube-proxy disabled, svcnet's deployed; `upstream`: kind's own kube-proxy (iptables mode). @default 'svcnet' */
  proxy: 'svcnet' | 'upstream'
  /** `svcnet`: coredns removed, svcnet's DNS behind kube-dns; `coredns`: kind's own. @default 'svcnet' */
  dns: 'svcnet' | 'coredns'
  /** Leave the cluster running after the suite (`kind delete cluster --name …` removes it). @default false */
  keepCluster: boolean
  /** Use an existing kind cluster of this name instead of creating one; it is never deleted. @default false */
  reuse: boolean
  /** The svcnet image built from the Dockerfile and loaded into the nodes; the manifests in deploy/ name it. */
  image: string
  /** The outside client's image (curl and dig), started on the kind network. */
  outsideImage: string
}

/** The defaults; `cluster` gets a per-run suffix from kindOptionsFromEnv. */
export const DEFAULT_KIND_OPTIONS: KindOptions = {
  cluster: 'svcnet',
  controlPlanes: 1,
  workers: 2,
  proxy: 'svcnet',
  dns: 'svcnet',
  keepCluster: false,
  reuse: false,
  image: 'svcnet/svcnet:dev',
  outsideImage: 'nicolaka/netshoot:v0.13',
}

// Every problem with the options, as sentences (empty: valid).
export function validateKindOptions(o: KindOptions): string[] {
  const problems: string[] = []
  // kind names its node containers and kubeconfig context after the cluster: a DNS label, short enough for `-control-plane`.
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.cluster) || o.cluster.length > 40) {
    problems.push(
      `cluster name ${JSON.stringify(o.cluster)} must be lower-case letters, digits and '-', at most 40 characters`,
    )
  }
  if (!Number.isInteger(o.controlPlanes) || o.controlPlanes < 1 || o.controlPlanes > 3) {
    problems.push(`control planes must be 1 to 3, got ${o.controlPlanes}`)
  }
  if (!Number.isInteger(o.workers) || o.workers < 0 || o.workers > 10) {
    problems.push(`workers must be 0 to 10, got ${o.workers}`)
  }
  if (o.proxy !== 'svcnet' && o.proxy !== 'upstream') {
    problems.push(`proxy must be svcnet or upstream, got ${JSON.stringify(o.proxy)}`)
  }
  if (o.dns !== 'svcnet' && o.dns !== 'coredns') {
    problems.push(`dns must be svcnet or coredns, got ${JSON.stringify(o.dns)}`)
  }
  if (!/^[^\s:]+(:[\w][\w.-]*)?$/.test(o.image) || o.image.endsWith(':latest') || !o.image.includes(':')) {
    problems.push(
      `image ${JSON.stringify(o.image)} needs an explicit tag other than latest (kind load needs one the nodes keep)`,
    )
  }
  return problems
}

/** The flags `svcnet test --provider kind` takes (the suite's command merges these into its own). */
export const KIND_FLAGS: Record<string, FlagSpec> = {
  'kind-name': { type: 'string', value: 'NAME', description: 'kind cluster name (default svcnet-<run id>)' },
  workers: { type: 'number', description: 'worker nodes', default: DEFAULT_KIND_OPTIONS.workers },
  'control-planes': {
    type: 'number',
    description: 'control-plane nodes',
    default: DEFAULT_KIND_OPTIONS.controlPlanes,
  },
  'node-image': { type: 'string', value: 'IMAGE', description: "kind's node image (kindest/node:v1.x.y)" },
  proxy: {
    type: 'string',
    value: 'svcnet|upstream',
    description: "the kube-proxy under test: svcnet's, or kind's stock kube-proxy",
    default: DEFAULT_KIND_OPTIONS.proxy,
  },
  dns: {
    type: 'string',
    value: 'svcnet|coredns',
    description: "the cluster DNS under test: svcnet's, or kind's stock CoreDNS",
    default: DEFAULT_KIND_OPTIONS.dns,
  },
  'keep-cluster': { type: 'boolean', description: 'leave the kind cluster running after the suite' },
  reuse: {
    type: 'string',
    value: 'NAME',
    description: 'run on this existing kind cluster instead of creating one (never deleted)',
  },
}

// Options from the SVCNET_* environment (what `SVCNET_PROVIDER=kind` runs with); `runId` makes the default name unique.
export function kindOptionsFromEnv(env: Record<string, string | undefined>, runId: string): KindOptions {
  const o: KindOptions = { ...DEFAULT_KIND_OPTIONS, cluster: `svcnet-${runId}` }
  if (env.SVCNET_KIND_NAME) o.cluster = env.SVCNET_KIND_NAME
  if (env.SVCNET_KIND_REUSE) {
    o.cluster = env.SVCNET_KIND_REUSE
    o.reuse = true
  }
  if (env.SVCNET_KIND_WORKERS !== undefined) o.workers = Number(env.SVCNET_KIND_WORKERS)
  if (env.SVCNET_KIND_CONTROL_PLANES !== undefined) o.controlPlanes = Number(env.SVCNET_KIND_CONTROL_PLANES)
  if (env.SVCNET_KIND_NODE_IMAGE) o.nodeImage = env.SVCNET_KIND_NODE_IMAGE
  if (env.SVCNET_KIND_KEEP === '1' || env.SVCNET_KIND_KEEP === 'true') o.keepCluster = true
  if (env.SVCNET_PROXY) o.proxy = env.SVCNET_PROXY as KindOptions['proxy']
  if (env.SVCNET_DNS) o.dns = env.SVCNET_DNS as KindOptions['dns']
  if (env.SVCNET_IMAGE) o.image = env.SVCNET_IMAGE
  if (env.SVCNET_OUTSIDE_IMAGE) o.outsideImage = env.SVCNET_OUTSIDE_IMAGE
  return o
}

// Options from parsed KIND_FLAGS (as `svcnet test` hands them over); `runId` makes the default name unique.
export function kindOptionsFromFlags(
  flags: Record<string, string | number | boolean | string[] | undefined>,
  runId: string,
): KindOptions {
  const o: KindOptions = {
    ...DEFAULT_KIND_OPTIONS,
    cluster: typeof flags['kind-name'] === 'string' ? flags['kind-name'] : `svcnet-${runId}`,
    workers: Number(flags.workers ?? DEFAULT_KIND_OPTIONS.workers),
    controlPlanes: Number(flags['control-planes'] ?? DEFAULT_KIND_OPTIONS.controlPlanes),
    proxy: String(flags.proxy ?? DEFAULT_KIND_OPTIONS.proxy) as KindOptions['proxy'],
    dns: String(flags.dns ?? DEFAULT_KIND_OPTIONS.dns) as KindOptions['dns'],
    keepCluster: flags['keep-cluster'] === true,
  }
  if (typeof flags['node-image'] === 'string') o.nodeImage = flags['node-image']
  if (typeof flags.reuse === 'string') {
    o.cluster = flags.reuse
    o.reuse = true
  }
  return o
}
