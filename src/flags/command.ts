// Command-line flags for every svcnet command, on node:util parseArgs: a declared spec, all problems at once, --help.
import { parseArgs } from 'node:util'

/** One flag: its kind, what it does, and its default as shown in --help. */
export interface FlagSpec {
  /** `strings` is repeatable (each use adds one value); `number` must be a finite number. */
  type: 'string' | 'boolean' | 'number' | 'strings'
  /** One line for --help. */
  description: string
  /** Shown in --help and used when the flag is absent. */
  default?: string | number | boolean
  /** A one-letter alias (`-f`). */
  short?: string
  /** The value's placeholder in --help (`CIDR`, `FILE`); defaults to the type. */
  value?: string
}

/** A command: its name as typed, a summary, positional arguments and flags. */
export interface CommandSpec {
  /** As the user types it: `svcnet lab up`. */
  name: string
  summary: string
  /** Positional arguments in --help (`NAME [TYPE]`). */
  args?: string
  flags: Record<string, FlagSpec>
  /** `go`: single-dash long flags (`-v=2`, `-kubeconfig x`) as upstream Kubernetes binaries take them. */
  style?: 'gnu' | 'go'
  /** More lines for --help, after the flags. */
  notes?: string
}

/** Parsed flags (absent ones carry their default) and positional arguments. */
export interface ParsedCommand {
  flags: Record<string, string | number | boolean | string[] | undefined>
  positional: string[]
  /** True when --help or -h was given: print helpText() and exit 0. */
  help: boolean
}

// A bad command line; the message lists every problem, and the CLI prints it with the usage and exits 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

// Parses argv against a spec; throws UsageError naming every unknown flag, missing value and bad number.
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const { problems, ...parsed } = collectCommand(spec, argv)
  if (problems.length) throw new UsageError(problems.join('\n'))
  return parsed
}

// Parses argv against a spec and returns the problems instead of throwing, for commands that check values too
// and report everything at once.
export function collectCommand(
  spec: CommandSpec,
  argv: readonly string[],
): ParsedCommand & { problems: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  }
  for (const [name, f] of Object.entries(spec.flags)) {
    options[name] = {
      type: f.type === 'boolean' ? 'boolean' : 'string',
      ...(f.type === 'strings' ? { multiple: true } : {}),
      ...(f.short ? { short: f.short } : {}),
    }
  }
  const { tokens } = parseArgs({
    args: normalise(spec, argv),
    options,
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  })
  const problems: string[] = []
  const flags: ParsedCommand['flags'] = {}
  const positional: string[] = []
  let help = false
  for (const t of tokens) {
    if (t.kind === 'positional') positional.push(t.value)
    if (t.kind !== 'option') continue
    // allowNegative reports `--no-x` as option x; strict:false may still report an unknown `no-x` as itself.
    const bare = t.name.startsWith('no-') && spec.flags[t.name.slice(3)]?.type === 'boolean'
    const name = bare ? t.name.slice(3) : t.name
    const negated = t.rawName.startsWith('--no-') && spec.flags[name]?.type === 'boolean'
    const f = spec.flags[name]
    if (name === 'help') {
      help = true
      continue
    }
    if (!f) {
      problems.push(`unknown flag: ${t.rawName}`)
      continue
    }
    if (f.type === 'boolean') {
      flags[name] = !negated
      continue
    }
    if (t.value === undefined) {
      problems.push(`flag ${t.rawName} needs a value`)
      continue
    }
    if (f.type === 'number') {
      const n = Number(t.value)
      if (t.value.trim() === '' || !Number.isFinite(n)) {
        problems.push(`flag ${t.rawName} needs a number, got ${JSON.stringify(t.value)}`)
      } else flags[name] = n
    } else if (f.type === 'strings') flags[name] = [...((flags[name] as string[] | undefined) ?? []), t.value]
    else flags[name] = t.value
  }
  if (spec.args === undefined && positional.length) {
    const hint = spec.flags.name ? ` (a name is given as --name ${positional[0]})` : ''
    problems.push(
      `unexpected argument ${JSON.stringify(positional[0])}: ${spec.name} takes no arguments${hint}`,
    )
  }
  for (const [name, f] of Object.entries(spec.flags)) {
    if (flags[name] === undefined) flags[name] = f.type === 'strings' ? [] : f.default
  }
  return { flags, positional, help, problems }
}

// `--flag=true|false` for booleans become `--flag` / `--no-flag`; in go style `-name…` becomes `--name…`.
function normalise(spec: CommandSpec, argv: readonly string[]): string[] {
  const out: string[] = []
  for (const arg of argv) {
    let a = arg
    if (spec.style === 'go' && /^-[^-]/.test(a)) a = `-${a}`
    const m = /^--([^=]+)=(true|false)$/.exec(a)
    if (m && spec.flags[m[1]!]?.type === 'boolean') a = m[2] === 'true' ? `--${m[1]}` : `--no-${m[1]}`
    out.push(a)
  }
  return out
}

// The --help text: usage line, summary, every flag with its value, default and description.
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.flags).map(([name, f]) => {
    const value = f.type === 'boolean' ? '' : ` ${f.value ?? (f.type === 'number' ? 'N' : 'VALUE')}`
    const short = f.short ? `-${f.short}, ` : ''
    const def = f.default === undefined || f.default === '' ? '' : ` (default ${String(f.default)})`
    const repeat = f.type === 'strings' ? ' (repeatable)' : ''
    return [`  ${short}--${name}${value}`, `${f.description}${def}${repeat}`] as const
  })
  rows.push(['  -h, --help', 'show this help'])
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  const lines = rows.map(([left, right]) => `${left.padEnd(width)}${right}`)
  const usage = `usage: ${spec.name}${spec.args ? ` ${spec.args}` : ''} [flags]`
  return `${usage}\n\n${spec.summary}\n\nflags:\n${lines.join('\n')}\n${spec.notes ? `\n${spec.notes}\n` : ''}`
}

// Runs a command body with parsed flags: prints --help (exit 0) or the usage problem (exit 2) instead when asked.
export async function runCommand(
  spec: CommandSpec,
  argv: readonly string[],
  body: (parsed: ParsedCommand) => Promise<number>,
): Promise<number> {
  let parsed: ParsedCommand
  try {
    parsed = parseCommand(spec, argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`${spec.name}: ${err.message}\n\n${helpText(spec)}`)
    return 2
  }
  if (parsed.help) {
    process.stdout.write(helpText(spec))
    return 0
  }
  try {
    return await body(parsed)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`${spec.name}: ${err.message}\n\n${helpText(spec)}`)
    return 2
  }
}
