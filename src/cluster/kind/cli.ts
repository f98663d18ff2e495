// `svcnet kind plan|up|down`: print the kind provider's plan, make a kind cluster ready for the suite ahead of it
// (then run the suite with SVCNET_KIND_REUSE=NAME), or remove one. Wired into src/cli/main.ts as `kind`.
import { runCommand, UsageError, type CommandSpec, type ParsedCommand } from '../../flags/command.ts'
import { REPO_ROOT } from '../../paths.ts'
import { KIND_FLAGS, kindOptionsFromFlags, validateKindOptions, type KindOptions } from './options.ts'
import { formatKindPlan, planKind } from './plan.ts'

/** The kind subcommands and their flags. */
export const KIND_COMMANDS: Record<'plan' | 'up' | 'down', CommandSpec> = {
  plan: {
    name: 'svcnet kind plan',
    summary: 'Prints every command the kind provider would run and the kind config, and changes nothing.',
    flags: { ...KIND_FLAGS, 'kind-name': { ...KIND_FLAGS['kind-name']!, default: 'svcnet' } },
  },
  up: {
    name: 'svcnet kind up',
    summary:
      "Creates a kind cluster with svcnet's kube-proxy and DNS (or kind's own, --proxy upstream --dns coredns), waits until they serve, and keeps it: run the suite on it with SVCNET_KIND_REUSE=NAME.",
    flags: { ...KIND_FLAGS, 'kind-name': { ...KIND_FLAGS['kind-name']!, default: 'svcnet' } },
    notes: 'Ctrl-C while it runs deletes the cluster it was creating and exits 130.',
  },
  down: {
    name: 'svcnet kind down',
    summary: 'Deletes a kind cluster (kind delete cluster --name NAME).',
    flags: { 'kind-name': { ...KIND_FLAGS['kind-name']!, default: 'svcnet' } },
  },
}

const USAGE = `usage: svcnet kind <plan|up|down> [flags]   (svcnet kind <sub> --help for its flags)

${Object.entries(KIND_COMMANDS)
  .map(([sub, c]) => `  ${sub.padEnd(6)} ${c.summary.split('. ')[0]}`)
  .join('\n')}
`

// Options from the parsed flags, validated (every problem at once, as a usage error).
function optionsOf(p: ParsedCommand): KindOptions {
  const o = kindOptionsFromFlags(p.flags, 'plan')
  const problems = validateKindOptions(o)
  if (problems.length) throw new UsageError(problems.join('\n'))
  return o
}

// Runs a kind subcommand and returns the exit code.
export async function kindCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === 'plan') {
    return runCommand(KIND_COMMANDS.plan, rest, async (p) => {
      process.stdout.write(formatKindPlan(planKind(optionsOf(p), REPO_ROOT)))
      return 0
    })
  }
  if (sub === 'up') {
    return runCommand(KIND_COMMANDS.up, rest, async (p) => {
      const { startKindCluster } = await import('./kind-cluster.ts')
      const o = { ...optionsOf(p), keepCluster: true }
      const log = (m: string) => process.stderr.write(`svcnet kind: ${m}\n`)
      const cluster = await startKindCluster({ options: o, outsideClient: 'none', log })
      await cluster.destroy()
      process.stdout.write(`SVCNET_PROVIDER=kind SVCNET_KIND_REUSE=${o.cluster}\n`)
      return 0
    })
  }
  if (sub === 'down') {
    return runCommand(KIND_COMMANDS.down, rest, async (p) => {
      const { run } = await import('../../exec/run.ts')
      await run('kind', ['delete', 'cluster', '--name', String(p.flags['kind-name'])], { timeoutMs: 300_000 })
      return 0
    })
  }
  if (sub === '-h' || sub === '--help' || sub === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  process.stderr.write(`${sub ? `svcnet kind: unknown subcommand ${JSON.stringify(sub)}\n\n` : ''}${USAGE}`)
  return 2
}
