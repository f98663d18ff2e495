// Skip reasons, written as the run goes, for scripts/acceptance.ts to put into JUnit and the Allure status messages.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { reportsDir } from '../../src/paths.ts'
import type { SkipRecord } from './post-process.ts'

/** One JSON line per skipped scenario. */
export const SKIP_RECORDS_FILE = join(reportsDir(), 'skip-reasons.ndjson')

// Appends why a scenario was skipped.
export function recordSkip(record: SkipRecord): void {
  mkdirSync(dirname(SKIP_RECORDS_FILE), { recursive: true })
  appendFileSync(SKIP_RECORDS_FILE, `${JSON.stringify(record)}\n`)
}

// Every skip recorded in this run (none when the file is absent).
export function readSkips(): SkipRecord[] {
  if (!existsSync(SKIP_RECORDS_FILE)) return []
  return readFileSync(SKIP_RECORDS_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as SkipRecord)
}
