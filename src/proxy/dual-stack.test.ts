// The dual-stack proxy: two proxiers behind one set of informer handlers, one health and one metrics registry.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FakeClock } from '../wait/clock.ts'
import { MetaProxier } from './dual-stack.ts'
import { answerHealth } from './health-server.ts'
import { ProxyHealth } from './health.ts'
import { FakeIptables } from './iptables/fake-runner.ts'
import { makeService, makeSlice } from './iptables/test-objects.ts'
import { ProxyMetrics } from './metrics.ts'
import type { IPFamily } from './ip-family.ts'
import { testProxier } from './test-proxier.ts'

function setup() {
  const clock = new FakeClock(1_700_000_000_000)
  const health = new ProxyHealth(clock, 60_000)
  const metrics = new ProxyMetrics('IPv4')
  const ipts = { IPv4: new FakeIptables(), IPv6: new FakeIptables() }
  const cidr: Record<IPFamily, string> = { IPv4: '10.244.0.0/16', IPv6: 'fd00:10:244::/56' }
  const proxiers = (['IPv4', 'IPv6'] as const).map((family, i) =>
    testProxier({
      nodeName: 'node-a',
      ipFamily: family,
      health,
      metrics: i === 0 ? metrics : metrics.forFamily(family),
      iptables: ipts[family],
      clock,
      render: { clusterCIDR: cidr[family] },
    }),
  )
  const meta = new MetaProxier(proxiers)
  meta.start()
  return { clock, health, metrics, ipts, meta }
}

const web = makeService('default', 'web', {
  type: 'NodePort',
  ipFamilies: ['IPv6', 'IPv4'],
  clusterIP: 'fd00:10:96::20',
  clusterIPs: ['fd00:10:96::20', '10.96.0.20'],
  ports: [{ port: 80, nodePort: 30080 }],
})
const v4 = makeSlice('default', 'web', 'v4', [{ port: 8080 }], [{ ip: '10.244.1.5', node: 'node-a' }])
const v6 = makeSlice(
  'default',
  'web',
  'v6',
  [{ port: 8080 }],
  [{ ip: 'fd00:10:244:1::5', node: 'node-a' }],
  'IPv6',
)

test('each family programs its own table from the same events; health needs both, metrics carry both families', async () => {
  const { clock, health, metrics, ipts, meta } = setup()
  meta.services.onAdd(web)
  meta.endpointSlices.onAdd(v4)
  meta.endpointSlices.onAdd(v6)
  meta.services.onSynced()
  meta.endpointSlices.onSynced()
  meta.nodes.onSynced()
  await clock.advance(10)
  assert.match(ipts.IPv4.lastRestore!, /-d 10\.96\.0\.20 --dport 80 -j KUBE-SVC-/)
  assert.match(ipts.IPv4.lastRestore!, /--to-destination 10\.244\.1\.5:8080/)
  assert.doesNotMatch(ipts.IPv4.lastRestore!, /fd00/)
  assert.match(ipts.IPv6.lastRestore!, /-d fd00:10:96::20 --dport 80 -j KUBE-SVC-/)
  assert.match(ipts.IPv6.lastRestore!, /--to-destination \[fd00:10:244:1::5\]:8080/)
  assert.match(ipts.IPv6.lastRestore!, /! -s fd00:10:244::\/56 -j KUBE-MARK-MASQ/)
  assert.doesNotMatch(ipts.IPv6.lastRestore!, /10\.96|KUBE-FIREWALL/)
  const h = answerHealth('/healthz', health)
  assert.equal(h.status, 200)
  assert.deepEqual(Object.keys(JSON.parse(h.body).status), ['IPv4', 'IPv6'])
  const text = await metrics.render()
  for (const family of ['IPv4', 'IPv6'])
    assert.match(
      text,
      new RegExp(`kubeproxy_sync_full_proxy_rules_duration_seconds_count\\{ip_family="${family}"\\} 1`),
    )
  // An IPv6-only change syncs both proxiers (upstream's meta proxier hands every event to both), but only the IPv6
  // table's service changes.
  meta.endpointSlices.onUpdate(
    v6,
    makeSlice('default', 'web', 'v6', [{ port: 8080 }], [{ ip: 'fd00:10:244:1::6' }], 'IPv6'),
  )
  await clock.advance(1000)
  assert.match(ipts.IPv6.lastRestore!, /\[fd00:10:244:1::6\]:8080/)
  meta.stop()
})

test('the proxy is unhealthy while one family has an update waiting past the timeout', async () => {
  const { clock, health, meta } = setup()
  meta.services.onSynced()
  meta.endpointSlices.onSynced()
  meta.nodes.onSynced()
  await clock.advance(10)
  assert.equal(health.status().healthy, true)
  // The IPv6 proxier is stuck (stopped here): its queued update is never done; the IPv4 one keeps syncing.
  meta.proxiers[1]!.stop()
  meta.proxiers[1]!.sync()
  await clock.advance(61_000)
  const s = health.status()
  assert.equal(s.healthy, false)
  assert.equal(s.families.IPv4?.healthy, true)
  assert.equal(s.families.IPv6?.healthy, false)
  meta.stop()
})
