import { test } from 'node:test'
import assert from 'node:assert/strict'
import { answerHealth, answerMetrics } from './health-server.ts'
import { ProxyHealth } from './health.ts'
import { FakeClock } from '../wait/clock.ts'
import { NETWORK_PROGRAMMING_BUCKETS, ProxyMetrics } from './metrics.ts'

test('metrics keep upstream names and labels in the Prometheus text', async () => {
  const m = new ProxyMetrics()
  m.observeSync(true, 0.003)
  m.observeSync(false, 0.0005)
  m.restoreFailed(false)
  m.synced(1700000000, { filter: 4, nat: 30 }, { filter: 4, nat: 9 })
  const text = (await answerMetrics('/metrics', m)).body
  for (const name of [
    'kubeproxy_sync_proxy_rules_duration_seconds_bucket{le="0.001",ip_family="IPv4"} 1',
    'kubeproxy_sync_full_proxy_rules_duration_seconds_count{ip_family="IPv4"} 1',
    'kubeproxy_sync_partial_proxy_rules_duration_seconds_count{ip_family="IPv4"} 1',
    'kubeproxy_sync_proxy_rules_last_timestamp_seconds{ip_family="IPv4"} 1700000000',
    'kubeproxy_sync_proxy_rules_iptables_restore_failures_total{ip_family="IPv4"} 1',
    'kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total{ip_family="IPv4"} 1',
    'kubeproxy_sync_proxy_rules_iptables_total{ip_family="IPv4",table="nat"} 30',
    'kubeproxy_sync_proxy_rules_iptables_last{ip_family="IPv4",table="nat"} 9',
    '# TYPE kubeproxy_network_programming_duration_seconds histogram',
  ])
    assert.ok(text.includes(name), `missing ${name}`)
  assert.equal(NETWORK_PROGRAMMING_BUCKETS[0], 0.25)
  assert.equal(NETWORK_PROGRAMMING_BUCKETS.at(-1), 300)
  assert.equal(new Set(NETWORK_PROGRAMMING_BUCKETS).size, NETWORK_PROGRAMMING_BUCKETS.length)
})

test('health answers are counted by code in kubeproxy_proxy_healthz_total / livez_total', async () => {
  const clock = new FakeClock(1_000)
  const health = new ProxyHealth(clock, 60_000)
  const m = new ProxyMetrics()
  assert.equal(answerHealth('/healthz', health, m).status, 503)
  health.updated()
  assert.equal(answerHealth('/healthz', health, m).status, 200)
  assert.equal(answerHealth('/livez', health, m).status, 200)
  const text = await m.render()
  assert.match(text, /kubeproxy_proxy_healthz_total\{code="503"\} 1/)
  assert.match(text, /kubeproxy_proxy_healthz_total\{code="200"\} 1/)
  assert.match(text, /kubeproxy_proxy_livez_total\{code="200"\} 1/)
  assert.equal((await answerMetrics('/proxyMode', m)).body, 'iptables')
})
