// A small Dockerfile reader and linter (hadolint is not available here): instructions with their lines, and the rules
// the svcnet image must keep.

/** One instruction: its keyword (upper case), its arguments as written, and the line it starts on. */
export interface Instruction {
  keyword: string
  args: string
  line: number
}

// Splits a Dockerfile into instructions, joining `\` continuations and dropping comments and blank lines.
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = []
  let pending: { parts: string[]; line: number } | undefined
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim()
    if (!pending && (trimmed === '' || trimmed.startsWith('#'))) return
    if (pending && trimmed.startsWith('#')) return
    const continued = trimmed.endsWith('\\')
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed
    pending ??= { parts: [], line: i + 1 }
    pending.parts.push(part)
    if (continued) return
    const whole = pending.parts.filter((p) => p !== '').join(' ')
    const m = /^(\S+)\s*(.*)$/.exec(whole)!
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!, line: pending.line })
    pending = undefined
  })
  return out
}

// The packages every `apt-get install` in the Dockerfile installs.
export function aptPackages(instructions: readonly Instruction[]): string[] {
  const pkgs: string[] = []
  for (const ins of instructions.filter((x) => x.keyword === 'RUN')) {
    for (const cmd of ins.args.split(/&&|;/)) {
      const m = /apt-get\s+install\s+(.*)$/.exec(cmd.trim())
      if (m) pkgs.push(...m[1]!.split(/\s+/).filter((w) => w !== '' && !w.startsWith('-')))
    }
  }
  return pkgs
}

// The ENTRYPOINT in exec form as an array (undefined when absent or in shell form).
export function entrypoint(instructions: readonly Instruction[]): string[] | undefined {
  const e = instructions.findLast((x) => x.keyword === 'ENTRYPOINT')
  if (!e || !e.args.startsWith('[')) return undefined
  return JSON.parse(e.args) as string[]
}

// The sources of every COPY (without --from), as written.
export function copySources(instructions: readonly Instruction[]): string[] {
  return instructions
    .filter((x) => x.keyword === 'COPY' && !/--from=/.test(x.args))
    .flatMap((x) => {
      const words = x.args.split(/\s+/).filter((w) => !w.startsWith('--'))
      return words.slice(0, -1)
    })
}

// Problems in the hadolint spirit: untagged or :latest base, apt without --no-install-recommends or list cleanup,
// shell-form ENTRYPOINT, `ADD` where COPY does, `cd` in RUN instead of WORKDIR.
export function lintDockerfile(instructions: readonly Instruction[]): string[] {
  const problems: string[] = []
  for (const ins of instructions) {
    const at = `line ${ins.line}`
    if (ins.keyword === 'FROM') {
      const image = ins.args.split(/\s+/).find((w) => !w.startsWith('--'))!
      if (!/:[^/]+$/.test(image) && !image.includes('@sha256:'))
        problems.push(`${at}: FROM ${image} has no tag`)
      if (image.endsWith(':latest')) problems.push(`${at}: FROM ${image} uses latest`)
    }
    if (ins.keyword === 'RUN' && /apt-get\s+install/.test(ins.args)) {
      if (!/--no-install-recommends/.test(ins.args))
        problems.push(`${at}: apt-get install without --no-install-recommends`)
      if (!/rm -rf \/var\/lib\/apt\/lists/.test(ins.args))
        problems.push(`${at}: apt lists not removed in the same RUN`)
      if (!/apt-get\s+install\s+(-\S+\s+)*-y|apt-get\s+install\s+.*\s-y\b/.test(ins.args)) {
        problems.push(`${at}: apt-get install without -y`)
      }
    }
    if (ins.keyword === 'RUN' && /(^|&&|;)\s*cd\s/.test(ins.args))
      problems.push(`${at}: use WORKDIR instead of cd`)
    if (ins.keyword === 'ADD') problems.push(`${at}: use COPY instead of ADD for local files`)
    if (ins.keyword === 'ENTRYPOINT' && !ins.args.startsWith('['))
      problems.push(`${at}: ENTRYPOINT in shell form`)
  }
  if (!instructions.some((x) => x.keyword === 'FROM')) problems.push('no FROM')
  return problems
}
