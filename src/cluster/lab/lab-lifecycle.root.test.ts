// `svcnet lab up|down` as a user drives it: interrupted at each step, a taken name, --kubeconfig, lab down --all.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { run, start } from '../../exec/run.ts'
import { CLI_ENTRY } from '../../paths.ts'
import { waitFor } from '../../wait/wait-for.ts'
import { leftovers } from './discovery.ts'
import { destroyLab, reapLabs } from './teardown.ts'

const root = process.getuid?.() === 0
const skip = root ? false : 'needs root (network namespaces)'
const svcnet = (args: string[]) => run(process.execPath, [CLI_ENTRY, ...args], { allowFailure: true })

// Nothing named after the cluster is left: no namespace, /etc/netns entry, process or run directory.
async function assertNothingLeft(cluster: string): Promise<void> {
  const left = await leftovers({ cluster })
  assert.deepEqual(left, { netns: [], etcNetns: [], processes: [], runDirs: [] }, `left by ${cluster}`)
}

for (const point of [
  'creating lab network',
  'waiting for nodes to be Ready',
  "deploying svcnet's kube-proxy",
]) {
  test(`Ctrl-C during lab up (at "${point}") removes everything and exits 130`, { skip }, async () => {
    const cluster = `int${process.pid.toString(36)}${point.length}`
    const dir = await mkdtemp(join(tmpdir(), 'svcnet-int-'))
    const logFile = join(dir, 'up.log')
    const up = start(process.execPath, [CLI_ENTRY, 'lab', 'up', '--name', cluster], { logFile })
    try {
      await waitFor({
        what: `lab up to log "${point}"`,
        timeoutMs: 60_000,
        intervalMs: 20,
        check: async () => {
          const log = await readFile(logFile, 'utf8')
          return log.includes(point) ? { done: true, value: log } : { done: false, seen: log || '(empty)' }
        },
      })
      up.kill('SIGINT')
      const end = await up.exited
      const log = await readFile(logFile, 'utf8')
      assert.equal(end.exitCode, 130, log)
      assert.match(log, /lab up interrupted by SIGINT; everything it built is removed/)
      await assertNothingLeft(cluster)
    } finally {
      up.kill('SIGKILL')
      await destroyLab(cluster)
      await rm(dir, { recursive: true, force: true })
    }
  })
}

test(
  'a taken name is refused as kind refuses it; --kubeconfig merges the context and lab down takes it out',
  { skip },
  async () => {
    const cluster = `lc${process.pid.toString(36)}`
    const dir = await mkdtemp(join(tmpdir(), 'svcnet-kc-'))
    const kubeconfig = join(dir, 'config')
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: prod, cluster: {server: "https://prod"}}]\n',
    )
    try {
      const first = await svcnet(['lab', 'up', '--name', cluster, '--kubeconfig', kubeconfig])
      assert.equal(first.exitCode, 0, first.stderr)
      assert.match(first.stdout, /^export KUBECONFIG=\/run\/svcnet\//)
      const merged = parse(await readFile(kubeconfig, 'utf8'))
      assert.deepEqual(
        merged.clusters.map((c: { name: string }) => c.name),
        ['prod', `svcnet-${cluster}`],
      )
      assert.equal(merged['current-context'], `svcnet-${cluster}`)
      const nodes = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name'])
      assert.match(nodes.stdout, new RegExp(`node/${cluster}-control-plane`))

      const second = await svcnet(['lab', 'up', '--name', cluster])
      assert.equal(second.exitCode, 1)
      assert.match(
        second.stderr,
        new RegExp(`node\\(s\\) already exist for a cluster with the name "${cluster}"`),
      )

      // A running lab is never reaped by lab down --all.
      await reapLabs()
      assert.equal(
        (await leftovers({ cluster })).netns.length > 0,
        true,
        'lab down --all removed a running lab',
      )

      const down = await svcnet(['lab', 'down', '--name', cluster])
      assert.equal(down.exitCode, 0, down.stderr)
      const after = parse(await readFile(kubeconfig, 'utf8'))
      assert.deepEqual(
        after.clusters.map((c: { name: string }) => c.name),
        ['prod'],
      )
      await assertNothingLeft(cluster)
    } finally {
      await destroyLab(cluster)
      await rm(dir, { recursive: true, force: true })
    }
  },
)
