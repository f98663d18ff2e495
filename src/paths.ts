// Absolute paths of the project's own files, for processes that start svcnet again (daemon, pods).
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/**
 * Node flags for the long-running svcnet processes a lab starts (daemon, forwarder, kube-proxies, DNS, workloads):
 * a 1 MiB young generation instead of 16 MiB keeps each process ~20 MiB smaller; they allocate little.
 */
export const LEAN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1']
/** The CLI entry point, run with the project's Node. */
export const CLI_ENTRY = join(REPO_ROOT, 'src', 'cli', 'main.ts')
/** The deploy/ folder of manifests applied to every provider. */
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy')

// Where a run writes its reports: reports/ in the repository, or SVCNET_REPORTS_DIR (a run beside another one).
// cucumber.mjs and allurerc.mjs, config files loaded by those tools, read the same variable the same way.
export function reportsDir(): string {
  return process.env.SVCNET_REPORTS_DIR || join(REPO_ROOT, 'reports')
}
