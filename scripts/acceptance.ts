// The main job: start one cluster, run the features on it (cucumber, in parallel workers), build the HTML report,
// remove the cluster and prove nothing was left behind. Cucumber's arguments pass through (a feature file, --name…);
// the cluster's settings are the SVCNET_* variables that `svcnet test`'s flags set.
import { existsSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { leftovers } from '../src/cluster/lab/discovery.ts'
import { destroyLab } from '../src/cluster/lab/teardown.ts'
import { runAttached } from '../src/exec/run.ts'
import { REPO_ROOT } from '../src/paths.ts'
import { clusterIsKept } from '../support/providers.ts'
import { finishHtml, finishResults } from '../support/report/finish-reports.ts'
import { openInChromium } from '../support/report/open-in-chromium.ts'
import { closestSteps, undefinedStepTexts } from '../support/report/undefined-steps.ts'
import { HANDLE_ENV } from '../support/run/cluster-handle.ts'
import { startRunCluster } from '../support/run/run-cluster.ts'
import { withWorkers, workersOf } from '../support/run/workers.ts'
import { readStepDocs } from '../support/step-catalogue.ts'
import { reportsDir } from '../src/paths.ts'

const reports = reportsDir()
const bin = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name)

// Runs cucumber, then allure; returns cucumber's exit code unless the report or the cleanup check failed.
async function main(args: string[]): Promise<number> {
  const provider = process.env.SVCNET_PROVIDER ?? 'lab'
  if (provider === 'lab' && process.getuid?.() !== 0) {
    process.stderr.write(
      'acceptance: the features run on a lab cluster, which needs root (network namespaces, iptables). Run as root.\n',
    )
    return 1
  }
  const cluster =
    process.env.SVCNET_LAB_REUSE ?? process.env.SVCNET_LAB_NAME ?? `suite${process.pid.toString(36)}`
  process.env.SVCNET_LAB_NAME = cluster
  const cucumberArgs = withWorkers(args, process.env)
  const workers = workersOf(cucumberArgs)
  for (const old of ['allure-results', 'run-context.json', 'skip-reasons.ndjson'])
    await rm(join(reports, old), { recursive: true, force: true })
  const started = Date.now()
  // Ctrl-C reaches cucumber (same process group), and stops a lab still starting; this script stays to build the
  // report and remove the cluster.
  const interrupted = new AbortController()
  process.on('SIGINT', () => {
    interrupted.abort(new Error('interrupted by SIGINT'))
    process.stderr.write('acceptance: interrupted; finishing the report and cleanup\n')
  })
  const run = await startRunCluster(provider, interrupted.signal, { 'cucumber workers': String(workers) })
  const cucumber = interrupted.signal.aborted
    ? 130
    : await runAttached(bin('cucumber-js'), cucumberArgs, {
        env: { SVCNET_LAB_NAME: cluster, [HANDLE_ENV]: run.handle },
      })
  const kept = await run.finish().catch((err: Error) => {
    process.stderr.write(`acceptance: removing the cluster failed: ${err.message}\n`)
    return []
  })
  const seconds = Math.round((Date.now() - started) / 1000)
  // A report that cannot be finished fails the run, but never skips the cleanup check below.
  const finished = reportStep('adding the run context and skip reasons', () => finishResults(reports))
  reportStep('explaining undefined steps', explainUndefinedSteps)
  const allure = await runAttached(bin('allure'), [
    'generate',
    join(reports, 'allure-results'),
    '--config',
    join(REPO_ROOT, 'allurerc.mjs'),
  ])
  if (provider === 'lab' && !clusterIsKept(provider)) {
    const left = await leftovers({ cluster })
    const ours = [...left.netns, ...left.etcNetns, ...left.runDirs, ...left.processes.map((p) => `pid ${p}`)]
    if (ours.length > 0) {
      // The run's own teardown failed (or never ran): say so, then remove what this run made.
      process.stderr.write(`acceptance: the run left things behind: ${ours.join(', ')}\n`)
      const { removed } = await destroyLab(cluster)
      process.stderr.write(`acceptance: removed ${removed.join(', ') || 'nothing'}\n`)
      return 1
    }
  }
  const report = join(reports, 'html', 'index.html')
  const clean = reportStep('removing the analytics script', () => finishHtml(report))
  if (allure !== 0 || !existsSync(report)) {
    process.stderr.write(`acceptance: allure generate failed (exit ${allure}); no ${report}\n`)
    return 1
  }
  const opened = await checkReportInBrowser(report)
  if (kept.length) process.stdout.write(`\n${kept.join('\n')}\n`)
  process.stdout.write(
    `\nsuite time: ${seconds}s (${workers} worker${workers === 1 ? '' : 's'})\nHTML report: ${report}\n`,
  )
  return opened && finished && clean ? cucumber : 1
}

// Runs one finishing step of the reports; a failure is printed (with what was being done) and returns false.
function reportStep(what: string, step: () => void): boolean {
  try {
    step()
    return true
  } catch (err) {
    process.stderr.write(`acceptance: ${what} failed: ${(err as Error).stack ?? String(err)}\n`)
    return false
  }
}

// After cucumber's snippets: for each sentence no step matches, the closest steps of the catalogue.
function explainUndefinedSteps(): void {
  const messages = join(reports, 'messages.ndjson')
  if (!existsSync(messages)) return
  const docs = readStepDocs(join(REPO_ROOT, 'steps'))
  const { texts, unreadable } = undefinedStepTexts(readFileSync(messages, 'utf8'))
  if (unreadable > 0)
    process.stderr.write(
      `acceptance: ${unreadable} lines of ${messages} are not JSON: did another run write to the same reports/ folder?\n`,
    )
  for (const text of texts) {
    const near = closestSteps(text, docs).map((d) => `    ${d.keyword} ${d.expression}`)
    process.stderr.write(
      `acceptance: no step matches "${text}"; the closest steps are:\n${near.join('\n')}\n`,
    )
  }
}

// Opens the report in headless Chromium when it is installed: it must render and fetch nothing from the network.
async function checkReportInBrowser(report: string): Promise<boolean> {
  if (!existsSync('/usr/bin/chromium')) {
    process.stdout.write('report check: skipped, no /usr/bin/chromium (apt-get install chromium)\n')
    return true
  }
  const screenshot = join(reports, 'report-screenshot.png')
  const seen = await openInChromium(report, screenshot)
  const ok = seen.networkRequests.length === 0 && seen.renderedElements > 20
  process.stdout.write(
    `report check: ${seen.renderedElements} elements rendered, ${seen.networkRequests.length} network requests${seen.networkRequests.length ? ` (${seen.networkRequests.join(', ')})` : ''}; screenshot ${screenshot}\n`,
  )
  return ok
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2))
