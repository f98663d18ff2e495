import { test } from 'node:test'
import assert from 'node:assert/strict'
import { helpText, parseCommand } from '../flags/command.ts'
import { TEST_COMMAND } from './test-command.ts'
import { TEST_FLAGS, testInvocation } from './test-options.ts'

const invoke = (argv: string[], env: Record<string, string> = {}) =>
  testInvocation(parseCommand(TEST_COMMAND, argv), env)

test('tags, name and files go to cucumber; the provider and the workers become settings', () => {
  const { args, env } = invoke([
    '--provider',
    'kind',
    '--tags',
    '@area:DNS',
    '--parallel',
    '3',
    'features/dns.feature',
  ])
  assert.deepEqual(args, ['--tags', '@area:DNS', 'features/dns.feature'])
  assert.deepEqual(env, { SVCNET_PROVIDER: 'kind', SVCNET_PARALLEL: '3' })
  assert.deepEqual(invoke([]), { args: [], env: { SVCNET_PROVIDER: 'lab' } })
})

test('each provider flag maps onto the variable its provider reads', () => {
  assert.deepEqual(invoke(['--keep-cluster']).env, { SVCNET_PROVIDER: 'lab', SVCNET_LAB_KEEP: '1' })
  assert.deepEqual(invoke(['--reuse', 'suite1']).env, { SVCNET_PROVIDER: 'lab', SVCNET_LAB_REUSE: 'suite1' })
  assert.deepEqual(
    invoke([
      '--provider',
      'kind',
      '--keep-cluster',
      '--reuse',
      'ci',
      '--proxy',
      'upstream',
      '--dns',
      'coredns',
    ]).env,
    {
      SVCNET_PROVIDER: 'kind',
      SVCNET_KIND_KEEP: '1',
      SVCNET_KIND_REUSE: 'ci',
      SVCNET_PROXY: 'upstream',
      SVCNET_DNS: 'coredns',
    },
  )
  assert.deepEqual(invoke(['--provider', 'existing', '--allow-privileged']).env, {
    SVCNET_PROVIDER: 'existing',
    SVCNET_ALLOW_PRIVILEGED: '1',
  })
})

test('the environment still chooses what no flag sets, and a flag wins over it', () => {
  assert.equal(invoke([], { SVCNET_PROVIDER: 'kind' }).env.SVCNET_PROVIDER, 'kind')
  assert.equal(invoke(['--provider', 'lab'], { SVCNET_PROVIDER: 'kind' }).env.SVCNET_PROVIDER, 'lab')
  // Unset flags set nothing, so SVCNET_PROXY=upstream in the environment keeps working.
  assert.equal(invoke(['--provider', 'kind'], { SVCNET_PROXY: 'upstream' }).env.SVCNET_PROXY, undefined)
  assert.throws(() => invoke([], { SVCNET_PROVIDER: 'minikube' }), /SVCNET_PROVIDER "minikube": want one of/)
})

test('bad values are refused, all at once, each naming its flag', () => {
  assert.throws(
    () => invoke(['--provider', 'minikube']),
    /--provider "minikube": want one of lab, kind, existing, k3s/,
  )
  assert.throws(
    () => invoke(['--parallel', '0']),
    /--parallel 0: want a whole number of workers from 1 to 16/,
  )
  assert.throws(() => invoke(['--parallel', '1.5']), /--parallel 1\.5/)
  assert.throws(
    () => parseCommand(TEST_COMMAND, ['--parallel', 'two']),
    /--parallel needs a number, got "two"/,
  )
  assert.throws(
    () => invoke(['--provider', 'kind', '--proxy', 'ipvs']),
    /--proxy "ipvs": want svcnet or upstream/,
  )
  assert.throws(
    () => invoke(['--provider', 'kind', '--dns', 'kube-dns']),
    /--dns "kube-dns": want svcnet or coredns/,
  )
  assert.throws(() => invoke(['--reuse', 'Bad_Name']), /--reuse "Bad_Name": want a cluster name/)
  assert.throws(() => parseCommand(TEST_COMMAND, ['--keep']), /unknown flag: --keep/)
  const err = (() => {
    try {
      invoke(['--parallel', '0', '--proxy', 'ipvs'])
    } catch (e) {
      return (e as Error).message
    }
    return ''
  })()
  assert.equal(err.split('\n').length, 3)
})

test('a provider flag its provider does not take is refused with the reason', () => {
  assert.throws(
    () => invoke(['--proxy', 'upstream']),
    /--proxy does not apply to --provider lab: only kind can/,
  )
  assert.throws(() => invoke(['--allow-privileged']), /--allow-privileged does not apply to --provider lab/)
  assert.throws(
    () => invoke(['--provider', 'existing', '--keep-cluster']),
    /--keep-cluster does not apply to --provider existing/,
  )
  assert.throws(
    () => invoke(['--provider', 'k3s', '--reuse', 'x']),
    /--reuse does not apply to --provider k3s/,
  )
})

test('--help lists every flag', () => {
  const help = helpText(TEST_COMMAND)
  for (const flag of Object.keys(TEST_FLAGS)) assert.match(help, new RegExp(`--${flag}\\b`))
})
