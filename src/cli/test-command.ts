// `svcnet test`: the feature suite on a cluster of the chosen provider, then the HTML report (as `npm run acceptance`).
import { join } from 'node:path'
import { runAttached } from '../exec/run.ts'
import { runCommand, UsageError, type CommandSpec, type ParsedCommand } from '../flags/command.ts'
import { REPO_ROOT } from '../paths.ts'

/** The providers `--provider` accepts (support/providers.ts implements them). */
export const TEST_PROVIDERS = ['lab', 'kind', 'existing', 'k3s'] as const

/** `svcnet test`'s command line. */
export const TEST_COMMAND: CommandSpec = {
  name: 'svcnet test',
  args: '[FEATURE_FILE…]',
  summary:
    'Runs the feature suite (every feature, or the files given) on a cluster, then builds the HTML report and prints its path.',
  flags: {
    provider: {
      type: 'string',
      value: 'NAME',
      description: `where the cluster comes from: ${TEST_PROVIDERS.join(', ')}`,
      default: 'lab',
    },
    tags: {
      type: 'string',
      value: 'EXPR',
      description: "only scenarios matching a tag expression ('@area:DNS')",
    },
    name: { type: 'string', value: 'REGEXP', description: 'only scenarios whose name matches' },
  },
  notes:
    'The lab needs root. The kind, existing and k3s providers read more SVCNET_* settings: see docs/ci.md.',
}

// The acceptance script's arguments and environment for parsed `svcnet test` flags (pure).
export function acceptanceInvocation(p: Pick<ParsedCommand, 'flags' | 'positional'>): {
  args: string[]
  env: Record<string, string>
} {
  const provider = String(p.flags.provider)
  if (!(TEST_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--provider ${JSON.stringify(provider)}: want one of ${TEST_PROVIDERS.join(', ')}`)
  }
  const args = [join(REPO_ROOT, 'scripts', 'acceptance.ts')]
  if (typeof p.flags.tags === 'string') args.push('--tags', p.flags.tags)
  if (typeof p.flags.name === 'string') args.push('--name', p.flags.name)
  args.push(...p.positional)
  return { args, env: { SVCNET_PROVIDER: provider } }
}

// Runs the suite; returns its exit code.
export async function testCommand(argv: string[]): Promise<number> {
  return runCommand(TEST_COMMAND, argv, async (parsed) => {
    const { args, env } = acceptanceInvocation(parsed)
    return runAttached(process.execPath, args, { env })
  })
}
