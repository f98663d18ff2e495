// The progress display of a run, from cucumber messages: one line per finished scenario (count, status, time, where,
// name), the failing step's message under a failed one, the skip reason beside a skipped one, and a summary line.
import type { Envelope, TestStepResultStatus as StatusEnum } from '@cucumber/messages'

/** A step result's status as its string (cucumber's is an enum of these strings). */
type TestStepResultStatus = `${StatusEnum}`

/** Worst first, as cucumber ranks a scenario's step results. */
const RANK: readonly TestStepResultStatus[] = [
  'FAILED',
  'AMBIGUOUS',
  'UNDEFINED',
  'PENDING',
  'SKIPPED',
  'PASSED',
  'UNKNOWN',
]

/** A scenario's status as the display words it. */
const WORD: Record<TestStepResultStatus, string> = {
  FAILED: 'failed',
  AMBIGUOUS: 'ambiguous',
  UNDEFINED: 'undefined',
  PENDING: 'pending',
  SKIPPED: 'skipped',
  PASSED: 'passed',
  UNKNOWN: 'unknown',
}

/** One scenario while it runs. */
interface Running {
  testCaseId: string
  startedMs: number
  status: TestStepResultStatus
  /** The first step or hook that did not pass, and its message. */
  problem?: string
  skipReason?: string
  /** The pickle step that no step definition matches. */
  undefinedStep?: string
}

// Every line of text indented by n spaces.
function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => `${' '.repeat(n)}${l}`)
    .join('\n')
}

// Milliseconds of a message timestamp.
function ms(t: { seconds: number; nanos: number }): number {
  return t.seconds * 1000 + Math.floor(t.nanos / 1e6)
}

// `12.3s`, or `2m05s` from a minute on.
export function formatDuration(millis: number): string {
  const s = millis / 1000
  if (s < 60) return `${s.toFixed(1)}s`
  const m = Math.floor(s / 60)
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`
}

// Turns cucumber's messages, one at a time, into the display's lines (pure: no clock, no output).
export class ProgressLines {
  readonly #pickles = new Map<
    string,
    { uri: string; line: number; name: string; steps: Map<string, string> }
  >()
  readonly #testCases = new Map<string, { pickleId: string; steps: Map<string, string> }>()
  readonly #hooks = new Map<string, string>()
  /** cucumber's snippets for undefined steps, by pickle step. */
  readonly #snippets = new Map<string, string>()
  /** Test step id → pickle step id. */
  readonly #pickleSteps = new Map<string, string>()
  readonly #running = new Map<string, Running>()
  readonly #counts = new Map<string, number>()
  #done = 0
  #startedMs: number | undefined

  // The lines this message completes (none for most messages).
  onEnvelope(e: Envelope): string[] {
    if (e.pickle) {
      const steps = new Map(e.pickle.steps.map((s) => [s.id, s.text]))
      const line = e.pickle.location?.line ?? 0
      this.#pickles.set(e.pickle.id, { uri: e.pickle.uri, line, name: e.pickle.name, steps })
    } else if (e.suggestion) {
      const code = e.suggestion.snippets[0]?.code
      if (code) this.#snippets.set(e.suggestion.pickleStepId, code)
    } else if (e.hook) {
      this.#hooks.set(e.hook.id, e.hook.name ?? 'a hook')
    } else if (e.testRunStarted) {
      this.#startedMs = ms(e.testRunStarted.timestamp)
    } else if (e.testCase) {
      this.#testCase(e.testCase)
    } else if (e.testCaseStarted) {
      const s = e.testCaseStarted
      this.#running.set(s.id, { testCaseId: s.testCaseId, startedMs: ms(s.timestamp), status: 'PASSED' })
    } else if (e.testStepFinished) {
      this.#stepFinished(e.testStepFinished)
    } else if (e.attachment) {
      const a = e.attachment
      const r = a.testCaseStartedId ? this.#running.get(a.testCaseStartedId) : undefined
      if (r && a.fileName === 'skipped-because.txt') r.skipReason = a.body.replace(/^skipped: /, '')
    } else if (e.testCaseFinished) {
      return this.#finished(e.testCaseFinished)
    } else if (e.testRunFinished) {
      return [this.summary(e.testRunFinished.timestamp ? ms(e.testRunFinished.timestamp) : undefined)]
    }
    return []
  }

  // `42 scenarios: 38 passed, 2 failed, 2 skipped in 3m12s`.
  summary(endMs?: number): string {
    const parts = RANK.filter((s) => this.#counts.get(s)).map((s) => `${this.#counts.get(s)} ${WORD[s]}`)
    const took =
      endMs !== undefined && this.#startedMs !== undefined
        ? ` in ${formatDuration(endMs - this.#startedMs)}`
        : ''
    return `${this.#done} scenario${this.#done === 1 ? '' : 's'}: ${parts.join(', ') || 'none run'}${took}`
  }

  #testCase(tc: NonNullable<Envelope['testCase']>): void {
    const pickle = this.#pickles.get(tc.pickleId)
    const steps = new Map<string, string>()
    for (const s of tc.testSteps) {
      if (s.pickleStepId) this.#pickleSteps.set(s.id, s.pickleStepId)
      const text = s.pickleStepId ? pickle?.steps.get(s.pickleStepId) : undefined
      steps.set(
        s.id,
        text !== undefined ? `step "${text}"` : `hook "${this.#hooks.get(s.hookId ?? '') ?? 'a hook'}"`,
      )
    }
    this.#testCases.set(tc.id, { pickleId: tc.pickleId, steps })
  }

  #stepFinished(f: NonNullable<Envelope['testStepFinished']>): void {
    const r = this.#running.get(f.testCaseStartedId)
    if (!r) return
    const status: TestStepResultStatus = f.testStepResult.status
    if (RANK.indexOf(status) < RANK.indexOf(r.status)) r.status = status
    if (status !== 'PASSED' && status !== 'SKIPPED' && !r.problem) {
      const where = this.#testCases.get(r.testCaseId)?.steps.get(f.testStepId) ?? 'a step'
      const message = f.testStepResult.message ?? f.testStepResult.exception?.message ?? status.toLowerCase()
      // The message without its stack trace, at most 4 lines.
      const lines = message
        .trim()
        .split('\n')
        .filter((l) => !/^\s+at /.test(l))
      r.problem = `${where}: ${lines.slice(0, 4).join('\n      ')}`
      if (status === 'UNDEFINED') r.undefinedStep = this.#pickleSteps.get(f.testStepId)
    }
  }

  #finished(f: NonNullable<Envelope['testCaseFinished']>): string[] {
    const r = this.#running.get(f.testCaseStartedId)
    if (!r) return []
    this.#running.delete(f.testCaseStartedId)
    const tc = this.#testCases.get(r.testCaseId)
    const pickle = tc ? this.#pickles.get(tc.pickleId) : undefined
    const where = pickle ? `${pickle.uri.replace(/^features\//, '')}:${pickle.line}` : r.testCaseId
    const time = formatDuration(ms(f.timestamp) - r.startedMs).padStart(7)
    if (f.willBeRetried)
      return [`  retry   ${time}  ${where}  ${pickle?.name ?? ''}  (${r.problem ?? WORD[r.status]})`]
    this.#done++
    this.#counts.set(r.status, (this.#counts.get(r.status) ?? 0) + 1)
    const total = String(this.#testCases.size)
    const count = `[${String(this.#done).padStart(total.length)}/${total}]`
    const lines = [`${count} ${WORD[r.status].padEnd(9)}${time}  ${where}  ${pickle?.name ?? ''}`]
    if (r.status === 'SKIPPED' && r.skipReason) lines[0] += `  (${r.skipReason})`
    else if (r.status !== 'PASSED' && r.problem) lines.push(`      ${r.problem}`)
    const snippet = r.undefinedStep ? this.#snippets.get(r.undefinedStep) : undefined
    if (snippet) lines.push(`      a step definition for it (cucumber's snippet):\n${indent(snippet, 8)}`)
    return lines
  }
}
