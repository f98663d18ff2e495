import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCommand } from '../flags/command.ts'
import { acceptanceInvocation, TEST_COMMAND } from './test-command.ts'

test('svcnet test passes the provider, tags, name and files to the acceptance script', () => {
  const p = parseCommand(TEST_COMMAND, ['--provider', 'kind', '--tags', '@area:DNS', 'features/dns.feature'])
  const { args, env } = acceptanceInvocation(p)
  assert.match(args[0]!, /scripts\/acceptance\.ts$/)
  assert.deepEqual(args.slice(1), ['--tags', '@area:DNS', 'features/dns.feature'])
  assert.deepEqual(env, { SVCNET_PROVIDER: 'kind' })
  assert.deepEqual(acceptanceInvocation(parseCommand(TEST_COMMAND, [])).env, { SVCNET_PROVIDER: 'lab' })
})

test('an unknown provider is a usage error naming the known ones', () => {
  assert.throws(
    () => acceptanceInvocation(parseCommand(TEST_COMMAND, ['--provider', 'minikube'])),
    /--provider "minikube": want one of lab, kind, existing, k3s/,
  )
})
