// After cucumber: run context and skip reasons into JUnit and the Allure results, before the HTML is built.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  allureWithSkipReason,
  junitWithContext,
  withoutAnalytics,
  type AllureResultLike,
} from './post-process.ts'
import {
  withFailedHooks,
  withReadableFailures,
  withRepeatsFolded,
  type ContainerLike,
} from './readable-failure.ts'
import { RUN_CONTEXT_FILE } from './run-context.ts'
import { readSkips } from './skip-records.ts'

// The run context cucumber wrote (empty when it wrote none, e.g. it never got to BeforeAll).
export function readRunContext(): Record<string, string> {
  return existsSync(RUN_CONTEXT_FILE)
    ? (JSON.parse(readFileSync(RUN_CONTEXT_FILE, 'utf8')) as Record<string, string>)
    : {}
}

// Adds the context and skip reasons to reports/junit.xml, and skip reasons, readable failure messages (the check's
// sentence, the stack moved to the trace), failed hooks' status (not "skipped") and repeated attachments folded into
// their last to reports/allure-results (the HTML report's home page shows the context from allurerc.mjs's variables).
export function finishResults(reports: string): void {
  const context = readRunContext()
  const skips = readSkips()
  const junit = join(reports, 'junit.xml')
  if (existsSync(junit)) writeFileSync(junit, junitWithContext(readFileSync(junit, 'utf8'), context, skips))
  const results = join(reports, 'allure-results')
  if (!existsSync(results)) return
  const files = readdirSync(results)
  const containers = files
    .filter((n) => n.endsWith('-container.json'))
    .map((n) => JSON.parse(readFileSync(join(results, n), 'utf8')) as ContainerLike)
  for (const f of files.filter((n) => n.endsWith('-result.json'))) {
    const path = join(results, f)
    const before = JSON.parse(readFileSync(path, 'utf8')) as AllureResultLike & { uuid?: string }
    const after = withRepeatsFolded(
      withReadableFailures(withFailedHooks(allureWithSkipReason(before, skips), containers)),
    )
    if (JSON.stringify(after) !== JSON.stringify(before)) writeFileSync(path, JSON.stringify(after))
  }
}

// Removes the analytics script from the single-file HTML report.
export function finishHtml(indexHtml: string): void {
  if (existsSync(indexHtml)) writeFileSync(indexHtml, withoutAnalytics(readFileSync(indexHtml, 'utf8')))
}
