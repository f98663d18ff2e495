// A failure's status message as a reviewer reads it: a failed check's sentence alone, another error's stack moved to
// the trace (pure).

/** The fields of an Allure result or step that a failure message touches. */
export interface FailureLike {
  status?: string
  statusDetails?: { message?: string; trace?: string }
  steps?: FailureLike[]
}

// Error names that only say "a check did not hold": the sentence after them says everything.
const CHECK_ERROR = /^(?:CheckAssertionError|AssertionError(?: \[ERR_ASSERTION\])?): /

// The message without the stack cucumber appends; a failed check also loses its class name and stack, another error
// keeps its name and has its stack in the trace.
export function readableMessage(details: { message?: string; trace?: string }): {
  message?: string
  trace?: string
} {
  const message = details.message
  if (message === undefined) return details
  const at = message.search(/\n\s+at /)
  const text = (at === -1 ? message : message.slice(0, at)).replace(CHECK_ERROR, '').trimEnd()
  if (text === message) return details
  // A failed check's stack is the harness's, not the product's: the report shows its sentence alone.
  if (CHECK_ERROR.test(message)) {
    const { trace: _stack, ...rest } = details
    return { ...rest, message: text }
  }
  return { ...details, message: text, trace: details.trace || message }
}

// The result with every failure message (its own and its steps', at any depth) made readable.
export function withReadableFailures<T extends FailureLike>(result: T): T {
  const steps = result.steps?.map((s) => withReadableFailures(s))
  const details = result.statusDetails ? readableMessage(result.statusDetails) : undefined
  return {
    ...result,
    ...(details ? { statusDetails: details } : {}),
    ...(steps ? { steps } : {}),
  }
}

/** The fields of an Allure container (the fixtures around results) that a failed hook shows in. */
export interface ContainerLike {
  children?: string[]
  befores?: FailureLike[]
  afters?: FailureLike[]
}

// A result whose steps were skipped because a hook around it failed (e.g. the cluster never started) takes the hook's
// status and message: Allure would otherwise count it skipped, and a run where nothing ran would look clean.
export function withFailedHooks<T extends FailureLike & { uuid?: string }>(
  result: T,
  containers: readonly ContainerLike[],
): T {
  if (result.status !== 'skipped' || !result.uuid) return result
  const hook = containers
    .filter((c) => c.children?.includes(result.uuid!))
    .flatMap((c) => [...(c.befores ?? []), ...(c.afters ?? [])])
    .find((f) => f.status === 'broken' || f.status === 'failed')
  if (!hook) return result
  return { ...result, status: hook.status, statusDetails: readableMessage(hook.statusDetails ?? {}) }
}

/** A step as far as attachments go: Allure wraps each attachment in a step of its name. */
export interface AttachmentStepLike extends FailureLike {
  name?: string
  attachments?: Array<{ name: string }>
  steps?: AttachmentStepLike[]
}

// Whether a step only wraps one attachment (no status, no steps of its own).
function attachmentOnly(s: AttachmentStepLike): boolean {
  return s.status === undefined && (s.steps ?? []).length === 0 && s.attachments?.length === 1
}

// Runs of the same attachment attached again and again (a check that retries attaches each try) are folded into the
// last one, named "(the last of N attempts)": a reviewer sees one, not fifteen.
export function withRepeatsFolded<T extends AttachmentStepLike>(step: T): T {
  if (!step.steps) return step
  const out: AttachmentStepLike[] = []
  let run = 0
  for (const [i, s] of step.steps.entries()) {
    const next = step.steps[i + 1]
    const same = attachmentOnly(s) && next !== undefined && attachmentOnly(next) && next.name === s.name
    if (same) {
      run++
      continue
    }
    if (run === 0) out.push(withRepeatsFolded(s))
    else {
      const name = `${s.name} (the last of ${run + 1} attempts)`
      out.push({ ...s, name, attachments: s.attachments!.map((a) => ({ ...a, name })) })
    }
    run = 0
  }
  return { ...step, steps: out }
}
