// Needs root: `svcnet proxy` on a dual-stack node (a network namespace this test creates, with an IPv4 and an IPv6
// address) against a loopback API server in the same namespace: both families' rules, one /healthz for both.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, start } from '../exec/run.ts'
import { waitFor } from '../wait/wait-for.ts'

const isRoot = process.getuid?.() === 0

test(
  'the daemon on a dual-stack node programs iptables and ip6tables from the same events; /healthz has both families',
  { skip: isRoot ? false : 'needs root (network namespaces, iptables)', timeout: 60_000 },
  async () => {
    const netns = `svcnet-proxytest-${randomBytes(4).toString('hex')}`
    const dir = mkdtempSync(join(tmpdir(), 'svcnet-proxytest-'))
    await run('ip', ['netns', 'add', netns])
    const procs: ReturnType<typeof start>[] = []
    try {
      const ip = (...args: string[]) => run('ip', ['-n', netns, ...args])
      await ip('link', 'set', 'lo', 'up')
      await ip('addr', 'add', '192.0.2.2/32', 'dev', 'lo')
      await ip('-6', 'addr', 'add', '2001:db8::2/128', 'dev', 'lo', 'nodad')
      const node = process.execPath
      procs.push(
        start(node, ['src/proxy/testdata/dual-stack-api.ts', '18080'], {
          netns,
          logFile: join(dir, 'api.log'),
        }),
      )
      const log = join(dir, 'proxy.log')
      procs.push(
        start(
          node,
          [
            'src/cli/main.ts',
            'proxy',
            '--hostname-override=n1',
            '--master=http://127.0.0.1:18080',
            '--cluster-cidr=10.244.0.0/16,fd00:10:244::/56',
            '--healthz-bind-address=127.0.0.1:10256',
            '--metrics-bind-address=127.0.0.1:10249',
          ],
          { netns, logFile: log },
        ),
      )
      const save = async (bin: string) =>
        (await run(bin, ['-t', 'nat'], { netns, allowFailure: true })).stdout
      const [v4, v6] = await waitFor({
        what: 'both families programmed',
        timeoutMs: 30_000,
        intervalMs: 200,
        check: async () => {
          const both = [await save('iptables-nft-save'), await save('ip6tables-nft-save')]
          return both[0]!.includes('10.96.0.20') && both[1]!.includes('fd00:10:96::20')
            ? { done: true, value: both }
            : { done: false, seen: readFileSync(log, 'utf8').split('\n').slice(-3).join(' | ') }
        },
      })
      assert.match(v4!, /--to-destination 10\.244\.1\.5:8080/)
      assert.doesNotMatch(v4!, /fd00/)
      assert.match(v6!, /--to-destination \[fd00:10:244:1::5\]:8080/)
      assert.match(v6!, /! -d ::1\/128 .*-j KUBE-NODEPORTS/)
      assert.doesNotMatch(v6!, /10\.96\.0\.20/)
      assert.match(readFileSync(log, 'utf8'), /IP families: IPv4 \(primary.*IPv6/)
      const health = await run('curl', ['-s', 'http://127.0.0.1:10256/healthz'], { netns })
      const body = JSON.parse(health.stdout) as {
        healthy: boolean
        status: Record<string, { healthy: boolean }>
      }
      assert.equal(body.healthy, true)
      assert.deepEqual(Object.keys(body.status), ['IPv4', 'IPv6'])
      const metrics = (await run('curl', ['-s', 'http://127.0.0.1:10249/metrics'], { netns })).stdout
      assert.match(metrics, /kubeproxy_sync_proxy_rules_last_timestamp_seconds\{ip_family="IPv6"\} [1-9]/)
      assert.match(metrics, /kubeproxy_sync_proxy_rules_last_timestamp_seconds\{ip_family="IPv4"\} [1-9]/)
    } finally {
      for (const p of procs) p.kill('SIGTERM')
      await Promise.all(procs.map((p) => p.exited))
      await run('ip', ['netns', 'delete', netns])
      rmSync(dir, { recursive: true })
    }
  },
)
