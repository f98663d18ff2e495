// `svcnet test`'s flags, and how they map onto the acceptance script's arguments and the SVCNET_* settings (pure).
import { UsageError, type FlagSpec, type ParsedCommand } from '../flags/command.ts'

/** The providers `--provider` accepts (support/providers.ts implements them). */
export const TEST_PROVIDERS = ['lab', 'kind', 'existing', 'k3s'] as const

/** Cucumber workers when --parallel is not given: the faster of 1 and 2 on a 2-CPU machine (see docs/ci.md). */
export const DEFAULT_PARALLEL = 2

/** At most this many workers (each holds API clients and runs its scenario's pods' checks). */
export const MAX_PARALLEL = 16

/** Which providers take which provider flag, and why the others refuse it. */
const ONLY: Record<string, { providers: readonly string[]; why: string }> = {
  'keep-cluster': { providers: ['lab', 'kind'], why: 'only a lab or a kind cluster is made by the run' },
  reuse: { providers: ['lab', 'kind'], why: 'only a kept lab or kind cluster can be run on again' },
  proxy: { providers: ['kind'], why: "only kind can swap in upstream's kube-proxy" },
  dns: { providers: ['kind'], why: "only kind can swap in upstream's CoreDNS" },
  'allow-privileged': { providers: ['existing'], why: 'only the existing provider needs node shells' },
}

/** `svcnet test`'s flags (every one is listed by --help). */
export const TEST_FLAGS: Record<string, FlagSpec> = {
  provider: {
    type: 'string',
    value: TEST_PROVIDERS.join('|'),
    description: 'where the cluster comes from (default lab, or SVCNET_PROVIDER)',
  },
  tags: {
    type: 'string',
    value: 'EXPR',
    description: "only scenarios matching a tag expression ('@area:DNS')",
  },
  name: { type: 'string', value: 'REGEXP', description: 'only scenarios whose name matches' },
  parallel: {
    type: 'number',
    description: `cucumber workers sharing the run's one cluster; @serial scenarios run alone (default ${DEFAULT_PARALLEL})`,
  },
  'keep-cluster': {
    type: 'boolean',
    description: 'keep the lab or kind cluster after the run and print how to use and remove it',
  },
  reuse: {
    type: 'string',
    value: 'NAME',
    description: 'run on a kept lab or kind cluster of that name (it is kept afterwards too)',
  },
  proxy: {
    type: 'string',
    value: 'svcnet|upstream',
    description: "kind: svcnet's kube-proxy, or kind's stock one (default svcnet)",
  },
  dns: {
    type: 'string',
    value: 'svcnet|coredns',
    description: "kind: svcnet's DNS, or kind's stock CoreDNS (default svcnet)",
  },
  'allow-privileged': {
    type: 'boolean',
    description:
      'existing: a privileged host pod per node for node access (iptables-save), removed afterwards',
  },
}

/** What `svcnet test` runs: the acceptance script's cucumber arguments and the settings it adds to the environment. */
export interface TestInvocation {
  /** Arguments after scripts/acceptance.ts (cucumber's). */
  args: string[]
  /** SVCNET_* settings the flags set; they win over the same variables already in the environment. */
  env: Record<string, string>
}

// The acceptance script's arguments and environment for parsed flags, given the environment they run in (pure).
// Every bad value is refused at once, naming its flag (or the variable it came from).
export function testInvocation(
  p: Pick<ParsedCommand, 'flags' | 'positional'>,
  env: Record<string, string | undefined>,
): TestInvocation {
  const f = p.flags
  const problems: string[] = []
  const fromFlag = typeof f.provider === 'string'
  const provider = fromFlag ? (f.provider as string) : (env.SVCNET_PROVIDER ?? 'lab')
  if (!(TEST_PROVIDERS as readonly string[]).includes(provider)) {
    const source = fromFlag ? '--provider' : 'SVCNET_PROVIDER'
    problems.push(`${source} ${JSON.stringify(provider)}: want one of ${TEST_PROVIDERS.join(', ')}`)
  }
  const out: Record<string, string> = { SVCNET_PROVIDER: provider }
  const args: string[] = []
  if (f.parallel !== undefined) {
    const n = f.parallel as number
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARALLEL)
      problems.push(`--parallel ${n}: want a whole number of workers from 1 to ${MAX_PARALLEL}`)
    else out.SVCNET_PARALLEL = String(n)
  }
  checkChoice(problems, f.proxy, '--proxy', ['svcnet', 'upstream'])
  checkChoice(problems, f.dns, '--dns', ['svcnet', 'coredns'])
  if (typeof f.reuse === 'string' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(f.reuse))
    problems.push(`--reuse ${JSON.stringify(f.reuse)}: want a cluster name (lower-case letters, digits, '-')`)
  for (const [flag, rule] of Object.entries(ONLY)) {
    const given = f[flag] === true || typeof f[flag] === 'string'
    if (given && !rule.providers.includes(provider))
      problems.push(`--${flag} does not apply to --provider ${provider}: ${rule.why}`)
  }
  if (problems.length) throw new UsageError(problems.join('\n'))
  Object.assign(out, providerSettings(provider, f))
  if (typeof f.tags === 'string') args.push('--tags', f.tags)
  if (typeof f.name === 'string') args.push('--name', f.name)
  args.push(...p.positional)
  return { args, env: out }
}

// Refuses a value outside its choices.
function checkChoice(problems: string[], value: unknown, flag: string, choices: string[]): void {
  if (typeof value === 'string' && !choices.includes(value))
    problems.push(`${flag} ${JSON.stringify(value)}: want ${choices.join(' or ')}`)
}

// The variables support/providers.ts and the kind/existing options read, for the flags given (absent flags set none).
function providerSettings(provider: string, f: ParsedCommand['flags']): Record<string, string> {
  const env: Record<string, string> = {}
  const prefix = provider === 'kind' ? 'SVCNET_KIND' : 'SVCNET_LAB'
  if (f['keep-cluster'] === true) env[`${prefix}_KEEP`] = '1'
  if (typeof f.reuse === 'string') env[`${prefix}_REUSE`] = f.reuse
  if (typeof f.proxy === 'string') env.SVCNET_PROXY = f.proxy
  if (typeof f.dns === 'string') env.SVCNET_DNS = f.dns
  if (f['allow-privileged'] === true) env.SVCNET_ALLOW_PRIVILEGED = '1'
  return env
}
