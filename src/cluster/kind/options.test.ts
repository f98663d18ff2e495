import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCommand } from '../../flags/command.ts'
import {
  DEFAULT_KIND_OPTIONS,
  KIND_FLAGS,
  kindOptionsFromEnv,
  kindOptionsFromFlags,
  validateKindOptions,
} from './options.ts'

test('the defaults are valid: one control plane, two workers, svcnet proxy and DNS', () => {
  assert.deepEqual(validateKindOptions(DEFAULT_KIND_OPTIONS), [])
  assert.equal(DEFAULT_KIND_OPTIONS.controlPlanes, 1)
  assert.equal(DEFAULT_KIND_OPTIONS.workers, 2)
  assert.equal(DEFAULT_KIND_OPTIONS.proxy, 'svcnet')
  assert.equal(DEFAULT_KIND_OPTIONS.dns, 'svcnet')
})

test('validation reports every problem at once', () => {
  const problems = validateKindOptions({
    ...DEFAULT_KIND_OPTIONS,
    cluster: 'My_Cluster',
    workers: -1,
    controlPlanes: 0,
    proxy: 'ipvs' as 'svcnet',
    dns: 'kube-dns' as 'svcnet',
    image: 'svcnet/svcnet:latest',
  })
  assert.equal(problems.length, 6, problems.join('\n'))
  assert.match(problems[0]!, /cluster name "My_Cluster"/)
  assert.ok(problems.some((p) => /proxy must be svcnet or upstream, got "ipvs"/.test(p)))
  assert.ok(problems.some((p) => /explicit tag other than latest/.test(p)))
})

test('an untagged image is refused: kind load needs a tag the nodes keep', () => {
  assert.equal(validateKindOptions({ ...DEFAULT_KIND_OPTIONS, image: 'svcnet/svcnet' }).length, 1)
})

test('the environment: a per-run name by default, SVCNET_KIND_REUSE names the cluster and marks it reused', () => {
  assert.equal(kindOptionsFromEnv({}, 'ab12').cluster, 'svcnet-ab12')
  const o = kindOptionsFromEnv(
    { SVCNET_KIND_REUSE: 'ci', SVCNET_PROXY: 'upstream', SVCNET_DNS: 'coredns', SVCNET_KIND_WORKERS: '3' },
    'ab12',
  )
  assert.equal(o.cluster, 'ci')
  assert.equal(o.reuse, true)
  assert.equal(o.proxy, 'upstream')
  assert.equal(o.dns, 'coredns')
  assert.equal(o.workers, 3)
  assert.equal(kindOptionsFromEnv({ SVCNET_KIND_KEEP: '1' }, 'x').keepCluster, true)
})

test('the flags parse with the shared parser and map onto options', () => {
  const spec = { name: 'svcnet test', summary: 'x', flags: KIND_FLAGS }
  const { flags } = parseCommand(spec, [
    '--proxy',
    'upstream',
    '--dns',
    'coredns',
    '--keep-cluster',
    '--workers',
    '1',
  ])
  const o = kindOptionsFromFlags(flags, 'r1')
  assert.equal(o.cluster, 'svcnet-r1')
  assert.equal(o.proxy, 'upstream')
  assert.equal(o.dns, 'coredns')
  assert.equal(o.keepCluster, true)
  assert.equal(o.workers, 1)
  const reused = kindOptionsFromFlags(parseCommand(spec, ['--reuse', 'dev']).flags, 'r1')
  assert.equal(reused.cluster, 'dev')
  assert.equal(reused.reuse, true)
  assert.equal(reused.workers, 2)
})
