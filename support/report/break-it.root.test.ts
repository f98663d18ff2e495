// Break-it: real scenarios on a lab with one component broken on purpose fail readably, with their evidence under the
// failing step, and the HTML report shows it. Needs root (a lab); about two minutes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { leftovers } from '../../src/cluster/lab/discovery.ts'
import { destroyLab } from '../../src/cluster/lab/teardown.ts'
import { run } from '../../src/exec/run.ts'
import { REPO_ROOT } from '../../src/paths.ts'
import { finishHtml, finishResults } from './finish-reports.ts'
import { openInChromium } from './open-in-chromium.ts'
import type { BreakPlan } from './break-it.ts'

const skip =
  process.getuid?.() !== 0 ? 'needs root: the scenarios run on a lab cluster (network namespaces)' : false

/** The scenarios and what each breaks before its first Then step. */
const PLAN: BreakPlan = {
  'A pod finds a Service by its short name, by name and namespace, and by its full name': 'dns',
  'Application running in pods accessed from outside of the cluster': 'nat',
  'A pod reaches every endpoint through the cluster IP': 'app',
}
const FEATURES = ['features/dns.feature', 'features/nodeport.feature', 'features/cluster-ip.feature']

/** The parts of an Allure result the test reads. */
interface Step {
  name: string
  status?: string
  statusDetails?: { message?: string }
  steps?: Step[]
  attachments?: Array<{ name: string; source: string }>
}
type Result = Step

// Every attachment under a step, at any depth: name → content.
function attachmentsUnder(step: Step, results: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const a of step.attachments ?? []) out.set(a.name, readFileSync(join(results, a.source), 'utf8'))
  for (const s of step.steps ?? []) for (const [k, v] of attachmentsUnder(s, results)) out.set(k, v)
  return out
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

test(
  'scenarios with DNS stopped, a nat table flushed, the app at 0 fail readably with their evidence',
  {
    skip,
    timeout: 420_000,
  },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'svcnet-break-it-'))
    const lab = `brk${process.pid.toString(36)}`
    const started = Date.now()
    try {
      const cucumber = await run(
        join(REPO_ROOT, 'node_modules', '.bin', 'cucumber-js'),
        [
          '--config',
          'support/report/break-it.cucumber.mjs',
          ...FEATURES,
          '--name',
          `^(${Object.keys(PLAN).map(escape).join('|')})$`,
        ],
        {
          cwd: REPO_ROOT,
          allowFailure: true,
          timeoutMs: 360_000,
          env: { SVCNET_REPORTS_DIR: dir, SVCNET_LAB_NAME: lab, SVCNET_BREAK: JSON.stringify(PLAN) },
        },
      )
      t.diagnostic(`cucumber ran ${Math.round((Date.now() - started) / 1000)} s, exit ${cucumber.exitCode}`)
      assert.equal(
        cucumber.exitCode,
        1,
        `cucumber should fail the broken scenarios:\n${cucumber.stdout}\n${cucumber.stderr}`,
      )
      finishResults(dir)
      const results = join(dir, 'allure-results')
      const all = readdirSync(results)
        .filter((f) => f.endsWith('-result.json'))
        .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as Result)
      for (const [scenario, kind] of Object.entries(PLAN)) {
        const r = all.find((x) => x.name === scenario)
        assert.ok(r, `no Allure result for "${scenario}"`)
        const message = r.statusDetails?.message ?? ''
        assert.equal(r.status, 'failed', `${kind}: "${scenario}" is ${r.status}, not failed: ${message}`)
        // One sentence of what was wanted and what was seen: no stack, no error class, no diff markers.
        assert.doesNotMatch(message, /\n\s+at |^\w*Error\b|AssertionError|^[-+] /m, `${kind}: ${message}`)
        assert.match(message, /waiting for .+; last seen: ./, `${kind}: ${message}`)
        const failing = r.steps?.find((s) => s.status === 'failed')
        assert.ok(failing, `${kind}: no failed step in "${scenario}"`)
        const evidence = attachmentsUnder(failing, results)
        const names = [...evidence.keys()]
        for (const want of [
          /^iptables diff since the scenario start, /,
          /^proxy trace: /,
          /^kube-proxy-logs/,
          /^dns-logs/,
        ])
          assert.ok(
            names.some((n) => want.test(n)),
            `${kind}: no ${want} under "${failing.name}": ${names.join(', ')}`,
          )
        // Logs carry the time each line was written, as kubectl logs --timestamps prints it.
        assert.match(evidence.get('kube-proxy-logs.txt') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /m)
        const trace = names
          .filter((n) => n.startsWith('proxy trace: '))
          .map((n) => evidence.get(n))
          .join('\n')
        // The first attachment sums the evidence up; each break shows in it.
        const summary = evidence.get('what the evidence shows.txt') ?? ''
        const shows = {
          dns: /kube-system: .*dns 0 pods/,
          nat: /\d+ rules? added, [1-9]\d* removed/,
          app: /service \S+: 0 ready endpoints/,
        }
        assert.match(summary, shows[kind], `${kind}: the summary does not show the break:\n${summary}`)
        if (kind === 'nat') {
          const diffs = names.filter((n) => n.startsWith('iptables diff')).map((n) => evidence.get(n)!)
          assert.ok(
            diffs.some((d) => /\d+ rules? added, [1-9]\d* removed/.test(d) && /^--A KUBE-SERVICES /m.test(d)),
            `nat: no diff shows the flushed KUBE-SERVICES rules:\n${diffs.join('\n')}`,
          )
          assert.match(trace, /destinations: /)
        }
        if (kind === 'dns') assert.match(trace, /→ 10\.96\.0\.10:53\/udp|10\.96\.0\.10:53/)
        if (kind === 'app') assert.match(trace, /REJECT/)
      }
      // The HTML report of the run, opened in headless Chromium on the first failed scenario.
      const html = join(dir, 'html')
      await run(
        join(REPO_ROOT, 'node_modules', '.bin', 'allure'),
        ['generate', results, '--config', join(REPO_ROOT, 'allurerc.mjs'), '--output', html],
        { cwd: REPO_ROOT, timeoutMs: 120_000 },
      )
      const index = join(html, 'index.html')
      finishHtml(index)
      if (existsSync('/usr/bin/chromium')) {
        // The report's own id of the nat scenario: its page is at index.html#<id>.
        const { byId } = JSON.parse(readFileSync(join(html, 'test-results.json'), 'utf8')) as {
          byId: Record<string, { name: string }>
        }
        const id = Object.entries(byId).find(([, r]) => r.name === Object.keys(PLAN)[1])?.[0]
        assert.ok(id, `the report lists no "${Object.keys(PLAN)[1]}"`)
        const shot = join(dir, 'failed-scenario.png')
        const seen = await openInChromium(index, shot, 30_000, id)
        t.diagnostic(`screenshot of a failed scenario: ${shot}`)
        assert.ok(seen.renderedElements > 20, `the report did not render: ${seen.text}`)
        assert.deepEqual(seen.networkRequests, [])
        assert.match(seen.text, /Application running in pods accessed from outside of the cluster\nFailed/)
      }
    } finally {
      // The run removes its lab; after a timeout or crash, this does.
      const left = await leftovers({ cluster: lab })
      if (left.netns.length + left.processes.length + left.runDirs.length + left.etcNetns.length > 0)
        await destroyLab(lab)
      if (process.env.SVCNET_KEEP_BREAK_IT === '1') t.diagnostic(`kept ${dir}`)
      else rmSync(dir, { recursive: true, force: true })
    }
  },
)
