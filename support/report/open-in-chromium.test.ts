// The single-file report, opened in headless Chromium: it renders every time and fetches nothing from the network.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from '../../src/exec/run.ts'
import { REPO_ROOT } from '../../src/paths.ts'
import { openInChromium } from './open-in-chromium.ts'
import { withoutAnalytics } from './post-process.ts'

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
const skip = chromium ? false : 'needs Debian chromium (apt-get install chromium) to open the report'

// Builds a one-test single-file report the way scripts/acceptance.ts does, in a scratch folder.
async function buildReport(dir: string): Promise<string> {
  const results = join(dir, 'allure-results')
  mkdirSync(results)
  writeFileSync(
    join(results, '00000000-0000-4000-8000-000000000001-result.json'),
    JSON.stringify({
      uuid: '00000000-0000-4000-8000-000000000001',
      name: 'A chosen node port',
      fullName: 'features/nodeport.feature#A chosen node port',
      status: 'failed',
      statusDetails: { message: 'timed out after 30000ms waiting for http://172.18.0.3:32233/ to answer' },
      stage: 'finished',
      labels: [{ name: 'feature', value: 'NodePort Service' }],
      steps: [],
      attachments: [],
      parameters: [],
      links: [],
      start: 1_700_000_000_000,
      stop: 1_700_000_001_000,
    }),
  )
  const config = join(dir, 'allurerc.mjs')
  writeFileSync(
    config,
    `export default { name: 'test', output: ${JSON.stringify(join(dir, 'html'))}, plugins: { awesome: { options: { singleFile: true } } } }\n`,
  )
  await run(join(REPO_ROOT, 'node_modules', '.bin', 'allure'), ['generate', results, '--config', config], {
    cwd: REPO_ROOT,
    timeoutMs: 60_000,
  })
  return join(dir, 'html', 'index.html')
}

test(
  'Allure puts an analytics script in the report, the finished report has none, and it renders on every load',
  { skip, timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svcnet-report-test-'))
    try {
      const html = await buildReport(dir)
      const raw = await openInChromium(html, join(dir, 'raw.png'))
      assert.ok(
        raw.networkRequests.some((u) => u.includes('googletagmanager')),
        `expected Allure's own report to call its analytics, saw ${JSON.stringify(raw.networkRequests)}`,
      )
      writeFileSync(html, withoutAnalytics(readFileSync(html, 'utf8')))
      for (let load = 1; load <= 3; load++) {
        const seen = await openInChromium(html, join(dir, `load-${load}.png`))
        assert.deepEqual(seen.networkRequests, [], `load ${load} fetched from the network`)
        assert.ok(seen.renderedElements > 20, `load ${load} rendered a blank page: ${seen.text}`)
        assert.match(seen.text, /A chosen node port|Failed/, `load ${load} does not show the test`)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
)
