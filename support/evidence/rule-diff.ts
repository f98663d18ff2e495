// What changed in a node's iptables rules since the scenario started: a unified diff of the rule lines (pure).

/** The tables recorded at the scenario start and compared on failure. */
export const DIFFED_TABLES = ['nat', 'filter'] as const

// The rule lines of the given tables of an iptables-save dump, tables in the order given (dumps differ in theirs):
// table headers, chain declarations and rules, with packet counters, comments and COMMIT lines left out (they change
// without any rule changing).
export function ruleLines(save: string, tables: readonly string[] = DIFFED_TABLES): string[] {
  const byTable = new Map<string, string[]>()
  let current: string[] | undefined
  for (const raw of save.split('\n')) {
    const line = raw.trim().replace(/^\[\d+:\d+\] /, '')
    if (line === '' || line.startsWith('#') || line === 'COMMIT') continue
    if (line.startsWith('*')) {
      const name = line.slice(1)
      current = tables.includes(name) ? [line] : undefined
      if (current) byTable.set(name, current)
      continue
    }
    current?.push(line.startsWith(':') ? line.replace(/ \[\d+:\d+\]$/, '') : line)
  }
  return tables.flatMap((t) => byTable.get(t) ?? [])
}

/** One line of a diff: kept, removed or added. */
interface DiffLine {
  op: ' ' | '-' | '+'
  text: string
  /** 1-based line numbers in the old and new text (the one the line is not in counts the line before it). */
  a: number
  b: number
}

// Above this many cells the longest-common-subsequence table is not built: removed and added lines are listed instead.
const MAX_CELLS = 4_000_000

// The lines of both texts in order, each kept, removed or added (a longest common subsequence keeps the most).
function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  let start = 0
  while (start < before.length && start < after.length && before[start] === after[start]) start++
  let endA = before.length
  let endB = after.length
  while (endA > start && endB > start && before[endA - 1] === after[endB - 1]) {
    endA--
    endB--
  }
  const midA = before.slice(start, endA)
  const midB = after.slice(start, endB)
  const ops: Array<' ' | '-' | '+'> = []
  if (midA.length * midB.length > MAX_CELLS) {
    ops.push(...midA.map(() => '-' as const), ...midB.map(() => '+' as const))
  } else {
    // lcs[i][j]: the longest common subsequence of midA[i..] and midB[j..].
    const w = midB.length + 1
    const lcs = new Uint32Array((midA.length + 1) * w)
    for (let i = midA.length - 1; i >= 0; i--)
      for (let j = midB.length - 1; j >= 0; j--)
        lcs[i * w + j] =
          midA[i] === midB[j]
            ? lcs[(i + 1) * w + j + 1]! + 1
            : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!)
    let i = 0
    let j = 0
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        ops.push(' ')
        i++
        j++
      } else if (i < midA.length && (j === midB.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        ops.push('-')
        i++
      } else {
        ops.push('+')
        j++
      }
    }
  }
  const lines: DiffLine[] = []
  let a = 0
  let b = 0
  const push = (op: DiffLine['op'], text: string) => {
    if (op !== '+') a++
    if (op !== '-') b++
    lines.push({ op, text, a, b })
  }
  for (let k = 0; k < start; k++) push(' ', before[k]!)
  let ia = start
  let ib = start
  for (const op of ops) {
    push(op, op === '+' ? after[ib]! : before[ia]!)
    if (op !== '+') ia++
    if (op !== '-') ib++
  }
  for (let k = endA; k < before.length; k++) push(' ', before[k]!)
  return lines
}

// A unified diff (`@@ -a,n +b,m @@` hunks with `context` lines around each change); '' when nothing changed.
export function unifiedDiff(
  before: readonly string[],
  after: readonly string[],
  labels: { before: string; after: string },
  context = 3,
): string {
  const lines = diffLines(before, after)
  const changed = lines.map((l, i) => (l.op === ' ' ? -1 : i)).filter((i) => i >= 0)
  if (changed.length === 0) return ''
  const hunks: Array<[number, number]> = []
  for (const i of changed) {
    const from = Math.max(0, i - context)
    const to = Math.min(lines.length - 1, i + context)
    const last = hunks.at(-1)
    if (last && from <= last[1] + 1) last[1] = to
    else hunks.push([from, to])
  }
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`]
  for (const [from, to] of hunks) {
    const part = lines.slice(from, to + 1)
    const oldCount = part.filter((l) => l.op !== '+').length
    const newCount = part.filter((l) => l.op !== '-').length
    const first = part[0]!
    // Lines of each side before the hunk; a side the hunk shows no line of starts at the line before (diff's rule).
    const oldBefore = first.a - (first.op === '+' ? 0 : 1)
    const newBefore = first.b - (first.op === '-' ? 0 : 1)
    out.push(
      `@@ -${oldCount === 0 ? oldBefore : oldBefore + 1},${oldCount} +${newCount === 0 ? newBefore : newBefore + 1},${newCount} @@`,
    )
    for (const l of part) out.push(`${l.op}${l.text}`)
  }
  return `${out.join('\n')}\n`
}

/** The rules of a node at the scenario start, as recorded then. */
export interface RuleBaseline {
  at: Date
  /** iptables-save of the diffed tables, or why it could not be read. */
  save: string | { error: string }
}

// The attachment text: a headed unified diff of the node's rule lines, or a sentence saying why there is none.
export function ruleDiffReport(
  node: string,
  baseline: RuleBaseline | undefined,
  now: { at: Date; save: string },
): string {
  const tables = DIFFED_TABLES.join(' and ')
  const head = `iptables rules of node ${node}: what changed between the scenario start and the failure (${tables} tables, counters left out; "-" was there at the start, "+" is new)`
  if (!baseline)
    return `${head}\n\nno diff: the rules were not recorded at the scenario start (the scenario failed before its first step ran); the full iptables-save is attached beside this.\n`
  if (typeof baseline.save !== 'string')
    return `${head}\n\nno diff: the rules could not be read at the scenario start: ${baseline.save.error}\n`
  const before = ruleLines(baseline.save)
  const after = ruleLines(now.save)
  const diff = unifiedDiff(before, after, {
    before: `${node} at the scenario start, ${clock(baseline.at)}`,
    after: `${node} at the failure, ${clock(now.at)}`,
  })
  if (diff === '')
    return `${head}\n\nno rule changed since the scenario started (${countRules(after)} rules in the ${tables} tables, then and now).\n`
  const added = diff.split('\n').filter((l) => l.startsWith('+-A ')).length
  const removed = diff.split('\n').filter((l) => l.startsWith('--A ')).length
  const note = `${added} rule${added === 1 ? '' : 's'} added, ${removed} removed. Scenarios running at the same time on other workers change the rules too.`
  return `${head}\n${note}\n\n${diff}`
}

// The number of -A lines.
function countRules(lines: readonly string[]): number {
  return lines.filter((l) => l.startsWith('-A ')).length
}

// The time of day in UTC with milliseconds: 16:40:01.123Z.
function clock(at: Date): string {
  return at.toISOString().slice(11)
}
