// What the run ran on (provider, nodes, kube-proxy, DNS, commit, Node, kernel), for the report's home page and JUnit.
import { writeFileSync, mkdirSync } from 'node:fs'
import { release } from 'node:os'
import { join } from 'node:path'
import { AppsV1Api } from '@kubernetes/client-node'
import { run } from '../../src/exec/run.ts'
import { REPO_ROOT } from '../../src/paths.ts'
import { reportsDir } from '../../src/paths.ts'
import type { Cluster } from '../../src/cluster/provider.ts'
import { apiMessage } from '../../src/kube/api-status.ts'

/** Where the context is written for scripts/acceptance.ts and allurerc.mjs (in reports/ unless SVCNET_REPORTS_DIR says). */
export const RUN_CONTEXT_FILE = join(reportsDir(), 'run-context.json')

// The images of a kube-system workload, or what went wrong reading them ("not deployed" for a 404).
async function images(
  read: () => Promise<{ spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } } }>,
): Promise<string> {
  try {
    const w = await read()
    return (w.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '?').join(', ')
  } catch (err) {
    return `not found (${apiMessage(err)})`
  }
}

// The context as name → value pairs; a cluster that never started is said so, with the reason.
export async function runContext(
  provider: string,
  cluster: Cluster | undefined,
  startError?: Error,
): Promise<Record<string, string>> {
  const commit = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, allowFailure: true })
  const dirty = await run('git', ['status', '--porcelain'], { cwd: REPO_ROOT, allowFailure: true })
  const context: Record<string, string> = {
    provider,
    'git commit':
      commit.exitCode === 0
        ? `${commit.stdout.trim()}${dirty.stdout.trim() ? ' (with uncommitted changes)' : ''}`
        : 'unknown (not a git checkout)',
    node: process.version,
    kernel: release(),
  }
  if (!cluster) {
    context.cluster = `never started: ${startError?.message ?? 'no reason given'}`
    return context
  }
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api)
  context.cluster = cluster.name
  context.nodes = cluster.nodes.map((n) => `${n.name} ${n.ip} (${n.role})`).join('; ')
  context['kube-proxy'] =
    process.env.SVCNET_KUBE_PROXY === 'off'
      ? 'off (SVCNET_KUBE_PROXY=off)'
      : await images(() => apps.readNamespacedDaemonSet({ name: 'kube-proxy', namespace: 'kube-system' }))
  context.dns = await images(() =>
    apps.readNamespacedDeployment({ name: 'svcnet-dns', namespace: 'kube-system' }),
  )
  return context
}

// Writes the context where the report scripts read it.
export function writeRunContext(context: Record<string, string>): void {
  mkdirSync(reportsDir(), { recursive: true })
  writeFileSync(RUN_CONTEXT_FILE, `${JSON.stringify(context, null, 2)}\n`)
}
