// `svcnet lab up|down|status` (and the internal `serve` and `forward` used by the lab itself).
import { join } from 'node:path'
import { runLabDaemon, RUN_FILES } from '../cluster/lab/daemon.ts'
import { forwardCommand } from '../cluster/lab/network/forwarder.ts'
import { listLabs } from '../cluster/lab/discovery.ts'
import { labUp } from '../cluster/lab/lab-up.ts'
import { formatActions, newRunId, planActions, planLab } from '../cluster/lab/network/plan.ts'
import { destroyLab, reapLabs } from '../cluster/lab/teardown.ts'
import { parseFlags, UsageError } from './flags.ts'

const USAGE = `usage:
  svcnet lab up [--name svcnet] [--workers 2] [--retain] [--dry-run]
  svcnet lab down [--name svcnet] [--all]
  svcnet lab status
`

// Runs a lab subcommand and returns the exit code.
export async function labCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  try {
    switch (sub) {
      case 'up':
        return await up(rest)
      case 'down':
        return await down(rest)
      case 'status':
        return await status(rest)
      case 'serve':
        return await serve(rest)
      case 'forward':
        return await forwardCommand(rest)
      default:
        process.stderr.write(sub ? `svcnet lab: unknown subcommand "${sub}"\n${USAGE}` : USAGE)
        return 2
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`svcnet lab ${sub}: ${err.message}\n${USAGE}`)
      return 2
    }
    throw err
  }
}

// lab up: prints progress on stderr and the kubeconfig on stdout.
async function up(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, {
    name: 'string',
    workers: 'number',
    retain: 'boolean',
    'dry-run': 'boolean',
  })
  const cluster = (flags.name as string | undefined) ?? 'svcnet'
  const workers = (flags.workers as number | undefined) ?? 2
  if (flags['dry-run']) {
    process.stdout.write(formatActions(planActions(planLab({ cluster, workers }, newRunId()))))
    return 0
  }
  const lab = await labUp({
    cluster,
    workers,
    retain: flags.retain === true,
    log: (m) => process.stderr.write(`svcnet lab: ${m}\n`),
  })
  process.stdout.write(`export KUBECONFIG=${lab.kubeconfigPath}\n`)
  return 0
}

// lab down: removes one lab (every run of that name) or, with --all, the leftovers of crashed runs (labs whose daemon is gone).
async function down(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, { name: 'string', all: 'boolean' })
  const removed = flags.all
    ? await reapLabs()
    : (await destroyLab((flags.name as string) ?? 'svcnet')).removed
  process.stderr.write(removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to remove\n')
  return 0
}

// lab status: one line per lab found on the system.
async function status(argv: string[]): Promise<number> {
  parseFlags(argv, {})
  const labs = await listLabs()
  if (labs.length === 0) {
    process.stdout.write('no svcnet labs\n')
    return 0
  }
  for (const lab of labs) {
    const state = lab.daemonAlive ? 'running' : 'stale (daemon gone; `svcnet lab down --all` reaps it)'
    process.stdout.write(
      `${lab.cluster}\trun ${lab.runId}\t${state}\t${lab.namespaces.length} namespaces\tKUBECONFIG=${join(lab.runDir, RUN_FILES.kubeconfig)}\n`,
    )
  }
  return 0
}

// lab serve: the daemon process itself (started by `lab up`, found again by its argv).
async function serve(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, { cluster: 'string', 'run-id': 'string', workers: 'number' })
  if (!flags.cluster || !flags['run-id']) throw new UsageError('serve needs --cluster and --run-id')
  const topology = planLab(
    { cluster: flags.cluster as string, workers: (flags.workers as number | undefined) ?? 2 },
    flags['run-id'] as string,
  )
  await runLabDaemon(topology)
  return 0
}
