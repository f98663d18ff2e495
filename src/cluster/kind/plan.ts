// The kind provider's plan: every command it will run and every manifest it will apply, decided before anything runs.
import { join } from 'node:path'
import { shellQuote } from '../../exec/run-error.ts'
import { renderKindConfig, kindNodeNames } from './config.ts'
import type { KindOptions } from './options.ts'

/** One command of the plan. */
export interface PlannedCommand {
  /** What it does, in words, for progress lines and `--dry-run`. */
  what: string
  argv: string[]
  /** Text written to its stdin (the kind config for `kind create cluster --config -`). */
  stdin?: string
}

/** What the kind provider does, in order. */
export interface KindPlan {
  options: KindOptions
  /** The kind config YAML given to `kind create cluster`. */
  config: string
  /** The node container names kind will create (a reused cluster's come from the API instead). */
  nodes: string[]
  /** kind and docker must be installed and the Docker daemon running. */
  preflight: PlannedCommand[]
  /** Lists kind clusters: a new name must be free, a reused one must exist. */
  listClusters: PlannedCommand
  /** Absent when reusing a cluster. */
  create?: PlannedCommand
  /** Absent when neither svcnet's proxy nor its DNS runs (nothing of svcnet's in the cluster). */
  buildImage?: PlannedCommand
  loadImage?: PlannedCommand
  kubeconfig: PlannedCommand
  /** Manifest files applied in order (after the svcnet-cluster ConfigMap). */
  manifests: string[]
  /** kind's coredns Deployment is deleted so the kube-dns Service selects only svcnet's DNS pods. */
  deleteCoreDns: boolean
  /** The DaemonSet and Deployment waited for: kube-proxy on every node, then the DNS. */
  waitFor: { proxyDaemonSet: string; dnsDeployment: string }
  /** Absent with keepCluster or reuse: the cluster then outlives the run. */
  teardown?: PlannedCommand
}

// Plans a kind run from validated options; `repoRoot` holds the Dockerfile and deploy/.
export function planKind(o: KindOptions, repoRoot: string): KindPlan {
  const config = renderKindConfig(o)
  const svcnetInside = o.proxy === 'svcnet' || o.dns === 'svcnet'
  const name = ['--name', o.cluster]
  return {
    options: o,
    config,
    nodes: kindNodeNames(o),
    preflight: [
      { what: 'check that kind is installed', argv: ['kind', 'version'] },
      {
        what: 'check that the Docker daemon is running',
        argv: ['docker', 'info', '--format', '{{.ServerVersion}}'],
      },
    ],
    listClusters: { what: 'list kind clusters', argv: ['kind', 'get', 'clusters'] },
    ...(o.reuse
      ? {}
      : {
          create: {
            what: `create kind cluster ${o.cluster} (${o.controlPlanes} control plane, ${o.workers} worker${o.workers === 1 ? '' : 's'}, kube-proxy ${o.proxy === 'svcnet' ? 'none' : 'iptables'})`,
            argv: [
              'kind',
              'create',
              'cluster',
              ...name,
              '--config',
              '-',
              ...(o.nodeImage ? ['--image', o.nodeImage] : []),
            ],
            stdin: config,
          },
        }),
    ...(svcnetInside
      ? {
          buildImage: {
            what: `build ${o.image} from the Dockerfile`,
            argv: ['docker', 'build', '--tag', o.image, '--file', join(repoRoot, 'Dockerfile'), repoRoot],
          },
          loadImage: {
            what: `load ${o.image} into every node of ${o.cluster}`,
            argv: ['kind', 'load', 'docker-image', o.image, ...name],
          },
        }
      : {}),
    kubeconfig: { what: `read ${o.cluster}'s kubeconfig`, argv: ['kind', 'get', 'kubeconfig', ...name] },
    manifests: [
      ...(o.proxy === 'svcnet' ? [join(repoRoot, 'deploy', 'kube-proxy.yaml')] : []),
      ...(o.dns === 'svcnet' ? [join(repoRoot, 'deploy', 'dns.yaml')] : []),
    ],
    deleteCoreDns: o.dns === 'svcnet',
    waitFor: {
      // kind's own kube-proxy DaemonSet has the same name and namespace as svcnet's.
      proxyDaemonSet: 'kube-system/kube-proxy',
      dnsDeployment: o.dns === 'svcnet' ? 'kube-system/svcnet-dns' : 'kube-system/coredns',
    },
    ...(o.keepCluster || o.reuse
      ? {}
      : {
          teardown: {
            what: `delete kind cluster ${o.cluster}`,
            argv: ['kind', 'delete', 'cluster', ...name],
          },
        }),
  }
}

// The argv that runs a command on a kind node: nodes are containers, so `docker exec`.
export function nodeExecArgv(node: string, argv: readonly string[]): string[] {
  return ['docker', 'exec', node, ...argv]
}

// The plan as text, one numbered step per line with its exact argv (what `--dry-run` prints).
export function formatKindPlan(plan: KindPlan): string {
  const steps: string[] = []
  const cmd = (c: PlannedCommand | undefined) => {
    if (!c) return
    const stdin = c.stdin ? ' <<config' : ''
    steps.push(`${c.what}\n    ${shellQuote(c.argv)}${stdin}`)
  }
  plan.preflight.forEach(cmd)
  cmd(plan.listClusters)
  cmd(plan.create)
  cmd(plan.buildImage)
  cmd(plan.loadImage)
  cmd(plan.kubeconfig)
  steps.push('apply the svcnet-cluster ConfigMap (kube-system): apiserver, clusterCIDR, serviceCIDR')
  for (const m of plan.manifests) steps.push(`apply ${m}`)
  if (plan.deleteCoreDns)
    steps.push('delete Deployment kube-system/coredns (kube-dns then selects svcnet-dns)')
  steps.push(
    `wait for DaemonSet ${plan.waitFor.proxyDaemonSet} ready on every node and :10256/healthz on each`,
  )
  steps.push(`wait for Deployment ${plan.waitFor.dnsDeployment} ready and kube-dns endpoints`)
  steps.push(`start the outside client (${plan.options.outsideImage}) on the docker network kind`)
  if (plan.teardown) cmd({ ...plan.teardown, what: `at exit or Ctrl-C: ${plan.teardown.what}` })
  else steps.push(`at exit: keep kind cluster ${plan.options.cluster}`)
  const numbered = steps.map((s, i) => `${String(i + 1).padStart(2)}. ${s}`)
  return `${numbered.join('\n')}\n${plan.create ? `\nkind config:\n${plan.config}` : ''}`
}
