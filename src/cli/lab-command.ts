// `svcnet lab up|down|status` (and the internal `serve` and `forward` used by the lab itself).
import { join } from 'node:path'
import { RUN_FILES } from '../cluster/lab/names.ts'
import { DEFAULT_LAB_CONFIG } from '../cluster/lab/network/plan.ts'
import { runCommand, UsageError, type CommandSpec } from '../flags/command.ts'

const NAME_FLAG = {
  type: 'string',
  value: 'NAME',
  description: 'the lab cluster name',
  default: DEFAULT_LAB_CONFIG.cluster,
} as const

/** The lab subcommands users run, with their flags. */
export const LAB_COMMANDS: Record<'up' | 'down' | 'status', CommandSpec> = {
  up: {
    name: 'svcnet lab up',
    summary:
      "Builds a lab cluster (network namespaces, API server, controllers, kubelet), deploys svcnet's kube-proxy and cluster DNS from deploy/, and prints `export KUBECONFIG=…`.",
    flags: {
      name: NAME_FLAG,
      workers: { type: 'number', description: 'worker nodes', default: DEFAULT_LAB_CONFIG.workers },
      retain: { type: 'boolean', description: 'keep what was built when lab up fails (to debug it)' },
      'dry-run': { type: 'boolean', description: 'print the planned commands and change nothing' },
      kubeconfig: {
        type: 'string',
        value: 'PATH',
        description:
          'also merge the context svcnet-NAME into this kubeconfig file (e.g. ~/.kube/config); lab down takes it out',
      },
    },
    notes:
      'Ctrl-C (or SIGTERM) while it runs removes everything it built and exits 130.\nA name that already exists is refused, as kind does.',
  },
  down: {
    name: 'svcnet lab down',
    summary:
      'Removes a lab: every namespace, /etc/netns entry, process and file it made. Safe to repeat; with --all, reaps the leftovers of crashed runs instead.',
    flags: {
      name: NAME_FLAG,
      all: { type: 'boolean', description: 'reap every lab whose daemon is gone, whatever its name' },
    },
  },
  status: {
    name: 'svcnet lab status',
    summary: 'Lists the labs on this machine, found from its network namespaces and processes.',
    flags: {},
  },
}

const SERVE_COMMAND: CommandSpec = {
  name: 'svcnet lab serve',
  summary: 'The lab daemon (started by `lab up`): API server, controllers and kubelet of one lab.',
  flags: {
    cluster: { type: 'string', value: 'NAME', description: 'the lab cluster name' },
    'run-id': { type: 'string', value: 'ID', description: 'the run id `lab up` chose' },
    workers: { type: 'number', description: 'worker nodes', default: DEFAULT_LAB_CONFIG.workers },
  },
}

// The `svcnet lab` usage: one line per subcommand.
function usage(): string {
  const rows = Object.entries(LAB_COMMANDS).map(
    ([sub, c]) => `  ${sub.padEnd(8)} ${c.summary.split('. ')[0]}`,
  )
  return `usage: svcnet lab <up|down|status> [flags]   (svcnet lab <sub> --help for its flags)\n\n${rows.join('\n')}\n`
}

// Runs a lab subcommand and returns the exit code.
export async function labCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'up':
      return runCommand(LAB_COMMANDS.up, rest, up)
    case 'down':
      return runCommand(LAB_COMMANDS.down, rest, down)
    case 'status':
      return runCommand(LAB_COMMANDS.status, rest, status)
    case 'serve':
      return runCommand(SERVE_COMMAND, rest, serve)
    case 'forward':
      return (await import('../cluster/lab/network/forwarder.ts')).forwardCommand(rest)
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(usage())
      return 0
    default:
      process.stderr.write(sub ? `svcnet lab: unknown subcommand "${sub}"\n\n${usage()}` : usage())
      return 2
  }
}

/** Flags as runCommand hands them over. */
type Flags = Parameters<Parameters<typeof runCommand>[2]>[0]

// lab up: prints progress on stderr and the kubeconfig on stdout.
async function up({ flags }: Flags): Promise<number> {
  const cluster = flags.name as string
  const workers = flags.workers as number
  if (flags['dry-run']) {
    const { formatActions, newRunId, planActions, planLab } = await import('../cluster/lab/network/plan.ts')
    process.stdout.write(formatActions(planActions(planLab({ cluster, workers }, newRunId()))))
    return 0
  }
  if (typeof flags.kubeconfig === 'string') await checkKubeconfigFile(flags.kubeconfig)
  const { labUp } = await import('../cluster/lab/lab-up.ts')
  const log = (m: string) => process.stderr.write(`svcnet lab: ${m}\n`)
  // Ctrl-C or SIGTERM: lab up stops at its next step, removes what it built, and we exit 130.
  const interrupted = new AbortController()
  const onSignal = (sig: NodeJS.Signals) => () => interrupted.abort(new Interrupted(sig))
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') }
  // `on`, not `once`: execa's exit hook re-raises a signal once no other listener is left.
  for (const [sig, h] of Object.entries(handlers)) process.on(sig, h)
  try {
    const lab = await labUp({
      cluster,
      workers,
      retain: flags.retain === true,
      log,
      signal: interrupted.signal,
    })
    if (typeof flags.kubeconfig === 'string') {
      const { exportKubeconfig } = await import('../cluster/lab/kubeconfig-export.ts')
      const file = await exportKubeconfig(lab.topology.runDir, lab.kubeconfigPath, flags.kubeconfig)
      log(`context svcnet-${cluster} merged into ${file} (kubectl config use-context svcnet-${cluster})`)
    }
    process.stdout.write(`export KUBECONFIG=${lab.kubeconfigPath}\n`)
    return 0
  } catch (err) {
    // Ctrl-C reaches the commands lab up runs too (one process group), so a command killed by it may fail lab up
    // before the signal is seen here; lab up has removed what it built by the time it rejects either way.
    if (!interrupted.signal.aborted) throw err
    log(`${(interrupted.signal.reason as Error).message}; everything it built is removed`)
    return 130
  } finally {
    for (const [sig, h] of Object.entries(handlers)) process.off(sig, h)
  }
}

// Refuses, before anything is built, a --kubeconfig file that exists but is not a kubeconfig.
async function checkKubeconfigFile(path: string): Promise<void> {
  const { existsSync } = await import('node:fs')
  const { readFile } = await import('node:fs/promises')
  const { mergeKubeconfig } = await import('../kube/kubeconfig-merge.ts')
  if (!existsSync(path)) return
  try {
    mergeKubeconfig(await readFile(path, 'utf8'), '', path)
  } catch (err) {
    throw new UsageError(`--kubeconfig: ${(err as Error).message}`)
  }
}

// Why lab up stopped early: the user (or a supervisor) sent a signal.
class Interrupted extends Error {
  constructor(signal: NodeJS.Signals) {
    super(`lab up interrupted by ${signal}`)
    this.name = 'Interrupted'
  }
}

// lab down: removes one lab (every run of that name) or, with --all, the leftovers of crashed runs (labs whose daemon is gone).
async function down({ flags }: Flags): Promise<number> {
  const { destroyLab, reapLabs } = await import('../cluster/lab/teardown.ts')
  const removed = flags.all ? await reapLabs() : (await destroyLab(flags.name as string)).removed
  process.stderr.write(removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to remove\n')
  return 0
}

// lab status: one line per lab found on the system.
async function status({ positional }: Flags): Promise<number> {
  if (positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}`)
  const { listLabs } = await import('../cluster/lab/discovery.ts')
  const labs = await listLabs()
  if (labs.length === 0) {
    process.stdout.write('no svcnet labs\n')
    return 0
  }
  for (const lab of labs) {
    const state = lab.daemonAlive
      ? 'running'
      : lab.ownerPid !== undefined
        ? `starting (lab up pid ${lab.ownerPid})`
        : 'stale (daemon gone; `svcnet lab down --all` reaps it)'
    process.stdout.write(
      `${lab.cluster}\trun ${lab.runId}\t${state}\t${lab.namespaces.length} namespaces\tKUBECONFIG=${join(lab.runDir, RUN_FILES.kubeconfig)}\n`,
    )
  }
  return 0
}

// lab serve: the daemon process itself (started by `lab up`, found again by its argv).
async function serve({ flags }: Flags): Promise<number> {
  if (!flags.cluster || !flags['run-id']) throw new UsageError('serve needs --cluster and --run-id')
  const { planLab } = await import('../cluster/lab/network/plan.ts')
  const { runLabDaemon } = await import('../cluster/lab/daemon.ts')
  await runLabDaemon(
    planLab(
      { cluster: flags.cluster as string, workers: flags.workers as number },
      flags['run-id'] as string,
    ),
  )
  return 0
}
