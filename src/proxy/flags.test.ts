import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FlagError, parseDuration, parseProxyFlags } from './flags.ts'

test('both --flag=value and --flag value forms, with upstream defaults', () => {
  const c = parseProxyFlags([
    '--hostname-override=kind-worker',
    '--master',
    'http://172.18.0.2:6443',
    '--cluster-cidr=10.244.0.0/16',
    '-v',
    '2',
  ])
  assert.equal(c.hostnameOverride, 'kind-worker')
  assert.equal(c.master, 'http://172.18.0.2:6443')
  assert.equal(c.clusterCIDR, '10.244.0.0/16')
  assert.equal(c.verbosity, 2)
  assert.equal(c.syncPeriodMs, 30_000)
  assert.equal(c.minSyncPeriodMs, 1000)
  assert.equal(c.healthzBindAddress, '0.0.0.0:10256')
  assert.equal(c.metricsBindAddress, '127.0.0.1:10249')
  assert.equal(c.masqueradeAll, false)
  assert.equal(c.localhostNodePorts, true)
})

test('booleans, durations and lists', () => {
  const c = parseProxyFlags([
    '--masquerade-all',
    '--sync-period=1m30s',
    '--iptables-min-sync-period',
    '500ms',
    '--nodeport-addresses=172.18.0.0/16, 127.0.0.0/8',
    '--iptables-localhost-nodeports=false',
  ])
  assert.equal(c.masqueradeAll, true)
  assert.equal(c.syncPeriodMs, 90_000)
  assert.equal(c.minSyncPeriodMs, 500)
  assert.deepEqual(c.nodePortAddresses, ['172.18.0.0/16', '127.0.0.0/8'])
  assert.equal(c.localhostNodePorts, false)
  assert.equal(parseDuration('1h0m0s'), 3_600_000)
  assert.equal(parseDuration('soon'), undefined)
})

test('unknown flags and bad values are all reported, naming the flag', () => {
  assert.throws(
    () =>
      parseProxyFlags(['--bogus=1', '--proxy-mode=ipvs', '--cluster-cidr=banana', '--sync-period=forever']),
    (err: unknown) => {
      assert.ok(err instanceof FlagError)
      assert.match(err.message, /unknown flag: --bogus/)
      assert.match(err.message, /only "iptables"/)
      assert.match(err.message, /invalid --cluster-cidr "banana"/)
      assert.match(err.message, /"forever" for --sync-period/)
      return true
    },
  )
  assert.throws(() => parseProxyFlags(['--min-sync-period=1m', '--sync-period=30s']), /must not exceed/)
})

test('single-dash flags as upstream binaries take them, and --help', () => {
  const c = parseProxyFlags(['-v=3', '-masquerade-all', '-hostname-override', 'n1'])
  assert.equal(c.verbosity, 3)
  assert.equal(c.masqueradeAll, true)
  assert.equal(c.hostnameOverride, 'n1')
  assert.equal(c.help, false)
  assert.equal(parseProxyFlags(['--help']).help, true)
  assert.throws(() => parseProxyFlags(['extra']), /unexpected argument "extra"/)
})
