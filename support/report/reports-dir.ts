// Where a run writes its reports: reports/ in the repository, or SVCNET_REPORTS_DIR (a separate run, e.g. break-it).
import { join } from 'node:path'
import { REPO_ROOT } from '../../src/paths.ts'

// The reports folder of this run.
export function reportsDir(): string {
  return process.env.SVCNET_REPORTS_DIR || join(REPO_ROOT, 'reports')
}
