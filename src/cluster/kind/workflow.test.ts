// .github/workflows/conformance.yml is for users and does not run in svcnet's CI; this test keeps it in step with the
// code: the settings it sets are the ones the providers read, the image it builds is the one the manifests run, and the
// files it uploads are the ones cucumber and allure write.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../../paths.ts'
import { DEFAULT_KIND_OPTIONS, kindOptionsFromEnv, validateKindOptions } from './options.ts'

interface Step {
  name?: string
  run?: string
  uses?: string
  with?: Record<string, string>
}
interface Job {
  env: Record<string, string>
  strategy: { matrix: { include: Record<string, string>[] } }
  steps: Step[]
}

const text = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8')
const workflow = parse(text('.github/workflows/conformance.yml')) as { jobs: Record<string, Job> }
const job = workflow.jobs.kind!

// The job's env with a matrix entry substituted.
function envFor(entry: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(job.env)) {
    out[k] = String(v).replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => entry[key] ?? '')
  }
  return out
}

test('each matrix entry is a valid kind setup, and the two compare svcnet with upstream', () => {
  const entries = job.strategy.matrix.include
  const setups = entries.map((e) => kindOptionsFromEnv(envFor(e), 'x'))
  for (const o of setups) assert.deepEqual(validateKindOptions(o), [], o.cluster)
  assert.deepEqual(
    setups.map((o) => [o.proxy, o.dns]),
    [
      ['svcnet', 'svcnet'],
      ['upstream', 'coredns'],
    ],
  )
  assert.equal(new Set(setups.map((o) => o.cluster)).size, entries.length, 'one cluster name per entry')
  assert.ok(
    setups.every((o) => o.keepCluster),
    'kept for kind export logs; a later step deletes it',
  )
})

test('every SVCNET_* setting it sets is read by the code', () => {
  const readers = text('src/cluster/kind/options.ts') + text('support/hooks.ts')
  for (const name of Object.keys(job.env).filter((k) => k.startsWith('SVCNET_'))) {
    assert.ok(readers.includes(`env.${name}`), `${name} is read somewhere`)
  }
  assert.equal(job.env.SVCNET_PROVIDER, 'kind')
})

test('it pre-builds the image the kind provider builds and the manifests run', () => {
  const build = job.steps.find((s) => s.run?.startsWith('docker build'))
  assert.ok(build?.run?.includes(`--tag ${DEFAULT_KIND_OPTIONS.image} --file Dockerfile .`), build?.run)
})

test('it uploads what cucumber and allure write, even when scenarios fail', async () => {
  const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!
  assert.ok(upload.run === undefined && (upload as { if?: string }).if === 'always()')
  const paths = upload
    .with!.path!.split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
  // The profiles as the workflow's run loads them (no SVCNET_REPORTS_DIR): every report under reports/.
  assert.equal(process.env.SVCNET_REPORTS_DIR ?? '', '', 'this test reads the default reports folder')
  const profile = (await import(join(REPO_ROOT, 'cucumber.mjs'))) as {
    default: { format: string[]; formatOptions: { resultsDir: string } }
  }
  for (const file of ['reports/junit.xml', 'reports/messages.ndjson', 'reports/cucumber.html']) {
    assert.ok(paths.includes(file), `uploads ${file}`)
    assert.ok(
      profile.default.format.some((f) => f.endsWith(`:${file}`)),
      `cucumber.mjs writes ${file}: ${profile.default.format.join(', ')}`,
    )
  }
  const allure = (await import(join(REPO_ROOT, 'allurerc.mjs'))) as { default: { output: string } }
  assert.equal(allure.default.output, join(REPO_ROOT, 'reports', 'html'))
  assert.ok(paths.includes('reports/html/'))
  assert.equal(profile.default.formatOptions.resultsDir, 'reports/allure-results')
  assert.ok(
    job.steps.some((s) => s.run === 'npx allure generate reports/allure-results --config allurerc.mjs'),
  )
})
