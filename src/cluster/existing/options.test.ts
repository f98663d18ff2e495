import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCommand } from '../../flags/command.ts'
import { EXISTING_FLAGS, existingOptionsFromEnv, existingOptionsFromFlags } from './options.ts'

test('by default nothing privileged is created and there is no outside client', () => {
  const o = existingOptionsFromEnv({}, 'r1')
  assert.equal(o.allowPrivileged, false)
  assert.equal(o.outside, 'none')
  assert.equal(o.loadBalancer, false)
  assert.equal(o.context, undefined)
})

test('environment and flags map onto the same options; a bad --outside is refused', () => {
  const env = existingOptionsFromEnv(
    { SVCNET_ALLOW_PRIVILEGED: '1', SVCNET_OUTSIDE: 'host', SVCNET_CONTEXT: 'prod' },
    'r1',
  )
  const spec = { name: 'svcnet test', summary: 'x', flags: EXISTING_FLAGS }
  const flags = existingOptionsFromFlags(
    parseCommand(spec, ['--allow-privileged', '--outside', 'host', '--context', 'prod']).flags,
    'r1',
  )
  assert.deepEqual({ ...flags, nodeShellImage: undefined }, { ...env, nodeShellImage: undefined })
  assert.throws(
    () => existingOptionsFromEnv({ SVCNET_OUTSIDE: 'laptop' }, 'r1'),
    /SVCNET_OUTSIDE must be host or none/,
  )
  assert.throws(
    () => existingOptionsFromFlags(parseCommand(spec, ['--outside', 'x']).flags, 'r1'),
    /--outside must be host or none/,
  )
})
