// Suite lifecycle: one cluster per run, one namespace per scenario, evidence under the failing step, no unchecked outcomes.
import { basename } from 'node:path'
import 'allure-cucumberjs'
import { link } from 'allure-js-commons'
import {
  After,
  AfterAll,
  AfterStep,
  Before,
  BeforeAll,
  Status,
  formatterHelpers,
  setDefaultTimeout,
  setParallelCanAssign,
} from '@cucumber/cucumber'
import { unmetNeeds } from '../src/cluster/capabilities.ts'
import { startCluster } from './providers.ts'
import { setCluster, startError, startedCluster } from './cluster-registry.ts'
import { recordSkip } from './report/skip-records.ts'
import { runContext, writeRunContext } from './report/run-context.ts'
import { collectEvidence } from './evidence.ts'
import { upstreamLink } from './upstream-tests.ts'
import { attachCluster } from './run/attached-cluster.ts'
import { HANDLE_ENV, readHandle } from './run/cluster-handle.ts'
import { canAssign } from './run/parallel-rule.ts'
import type { SvcWorld } from './world.ts'

setDefaultTimeout(120_000)

// Parallel workers share the run's one cluster; a @serial scenario runs with no other (support/run/parallel-rule.ts).
setParallelCanAssign(canAssign)

// The cluster: the one scripts/acceptance.ts started for the run (SVCNET_CLUSTER_HANDLE), or, when cucumber runs on its
// own, one started here. A cluster that fails to start is not thrown (cucumber would then report 0 scenarios and a
// green summary): every scenario fails in its first hook with the reason instead.
BeforeAll({ name: 'start the cluster', timeout: 240_000 }, async function () {
  const provider = process.env.SVCNET_PROVIDER ?? 'lab'
  const handle = process.env[HANDLE_ENV]
  if (handle) {
    const h = readHandle(handle)
    if ('cluster' in h) setCluster(attachCluster(h.cluster))
    else setCluster(undefined, new Error(h.error))
    return
  }
  if (process.env.CUCUMBER_PARALLEL === 'true') {
    const why = `parallel workers share one cluster started before cucumber: run \`npm run acceptance -- --parallel ${process.env.CUCUMBER_TOTAL_WORKERS}\` or \`svcnet test --parallel ${process.env.CUCUMBER_TOTAL_WORKERS}\``
    setCluster(undefined, new Error(why))
    if (process.env.CUCUMBER_WORKER_ID === '0') process.stderr.write(`svcnet: ${why}\n`)
    return
  }
  try {
    setCluster(await startCluster(provider))
  } catch (err) {
    setCluster(undefined, err as Error)
    process.stderr.write(`svcnet: the cluster did not start: ${(err as Error).message}\n`)
  }
  writeRunContext(await runContext(provider, startedCluster(), startError()))
})

AfterAll({ name: 'remove the cluster', timeout: 120_000 }, async function () {
  // Nothing to remove when BeforeAll failed to start one (it reported why); an attached one only lets go of it.
  await startedCluster()?.destroy()
  setCluster(undefined)
})

Before({ name: 'the cluster is running' }, function (this: SvcWorld) {
  void this.cluster
})

Before({ name: 'link the upstream test' }, async function (this: SvcWorld, { pickle }) {
  for (const tag of pickle.tags.filter((t) => t.name.startsWith('@upstream:'))) {
    const { name, url } = upstreamLink(tag.name)
    await link(url, name, 'upstream')
  }
})

Before(
  { name: 'skip what this provider cannot run' },
  function (this: SvcWorld, { pickle, gherkinDocument }) {
    const reasons = unmetNeeds(
      pickle.tags.map((t) => t.name),
      this.cluster.capabilities,
      this.cluster.provider,
    )
    if (reasons.length === 0) return undefined
    const why = `skipped: ${reasons.join('; ')}`
    this.attach(why, { mediaType: 'text/plain', fileName: 'skipped-because.txt' })
    process.stderr.write(`${pickle.uri}: ${pickle.name}: ${why}\n`)
    recordSkip({ feature: gherkinDocument.feature?.name ?? pickle.uri, scenario: pickle.name, reason: why })
    return 'skipped'
  },
)

Before(
  { name: 'create the scenario namespace' },
  async function (this: SvcWorld, { pickle, gherkinDocument }) {
    const { line } = formatterHelpers.PickleParser.getPickleLocation({ gherkinDocument, pickle })
    const feature = basename(pickle.uri, '.feature')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()
    const suffix = Math.random().toString(36).slice(2, 6)
    this.namespace = `${feature.slice(0, 40)}-${line}-${suffix}`
    await this.core.createNamespace({
      body: { metadata: { name: this.namespace, labels: { 'svcnet.io/scenario': 'true' } } },
    })
  },
)

AfterStep(async function (this: SvcWorld, { result }) {
  if (result.status !== Status.FAILED) return
  for (const item of await collectEvidence(this)) {
    this.attach(item.content, { mediaType: item.mediaType, fileName: item.name })
  }
})

After({ name: 'delete the scenario namespace' }, async function (this: SvcWorld) {
  await this.background?.stop()
  const failed: string[] = []
  for (const c of this.cleanups.reverse()) {
    await c.run().catch((err: unknown) => failed.push(`${c.what}: ${(err as Error).message}`))
  }
  if (this.namespace) await this.core.deleteNamespace({ name: this.namespace })
  if (failed.length > 0) throw new Error(`cleanup after the scenario failed: ${failed.join('; ')}`)
})

// Defined last, so it runs first among the After hooks.
After({ name: 'fail if a captured outcome was never checked' }, function (this: SvcWorld, { result }) {
  if (result?.status !== Status.PASSED) return
  const unchecked = this.pending.uncheckedMessage()
  if (unchecked) throw new Error(unchecked)
})
