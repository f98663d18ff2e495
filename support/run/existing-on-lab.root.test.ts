// The existing provider for real: a lab brought up with `svcnet lab up` is, to `svcnet test --provider existing`, just
// a cluster in the current kubeconfig. What it can check passes; what needs node access, an outside client or a
// load balancer is skipped with the reason. Needs root (a lab); about a minute.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from '../../src/exec/run.ts'
import { REPO_ROOT } from '../../src/paths.ts'

const skip = process.getuid?.() !== 0 ? 'needs root: the cluster is a lab (network namespaces)' : false
const svcnet = join(REPO_ROOT, 'bin', 'svcnet')
const FEATURES = ['features/dns.feature', 'features/nodeport.feature', 'features/scaling.feature']

/** The parts of an Allure result the test reads. */
interface Result {
  name: string
  status: string
  statusDetails?: { message?: string }
}

test(
  'svcnet test --provider existing on a lab: checks pass, what the provider lacks is skipped with why',
  {
    skip,
    timeout: 300_000,
  },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'svcnet-existing-'))
    const lab = `ex${process.pid.toString(36)}`
    try {
      const up = await run(svcnet, ['lab', 'up', '--name', lab], { timeoutMs: 120_000 })
      const kubeconfig = /^export KUBECONFIG=(\S+)$/m.exec(up.stdout)?.[1]
      assert.ok(kubeconfig, `lab up printed no KUBECONFIG line:\n${up.stdout}`)
      const suite = await run(svcnet, ['test', '--provider', 'existing', ...FEATURES], {
        cwd: REPO_ROOT,
        allowFailure: true,
        timeoutMs: 240_000,
        env: { KUBECONFIG: kubeconfig, SVCNET_REPORTS_DIR: dir },
      })
      t.diagnostic(
        suite.stdout
          .split('\n')
          .filter((l) => /scenarios:|suite time/.test(l))
          .join('; '),
      )
      assert.equal(
        suite.exitCode,
        0,
        `the suite failed on the existing provider:\n${suite.stdout}\n${suite.stderr}`,
      )
      const results = join(dir, 'allure-results')
      const all = readdirSync(results)
        .filter((f) => f.endsWith('-result.json'))
        .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as Result)
      const byStatus = (s: string) => all.filter((r) => r.status === s)
      // In-cluster checks (DNS from pods, API refusals, scaling, UDP through a node port from a pod) ran and passed.
      assert.ok(byStatus('passed').length >= 12, `only ${byStatus('passed').length} passed`)
      for (const name of [
        'A pod finds a Service by its short name, by name and namespace, and by its full name',
        'A node port that is taken is refused, and free again once its service is gone',
        'A UDP client that keeps its source port reaches the pod that replaced the one it talked to, through a node port',
      ])
        assert.equal(all.find((r) => r.name === name)?.status, 'passed', name)
      // Scenarios from outside the cluster are skipped, and the report says what the provider lacks.
      const skipped = byStatus('skipped')
      assert.ok(skipped.length >= 5, `only ${skipped.length} skipped`)
      for (const r of skipped)
        assert.match(r.statusDetails?.message ?? '', /the existing provider lacks [\w-]+: /, r.name)
    } finally {
      await run(svcnet, ['lab', 'down', '--name', lab], { allowFailure: true, timeoutMs: 60_000 })
      rmSync(dir, { recursive: true, force: true })
    }
  },
)
