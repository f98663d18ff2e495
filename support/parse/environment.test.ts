// Reading `env` output and the Services its variables describe.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseEnv, serviceEnvPrefix, servicePrefixesInEnv } from './environment.ts'

const output = [
  'PATH=/usr/bin:/bin',
  'HOSTNAME=client',
  'KUBERNETES_SERVICE_HOST=10.96.0.1',
  'FOO_BAR_SERVICE_HOST=10.96.123.45',
  'FOO_BAR_PORT=tcp://10.96.123.45:8765',
  'MOTD=line one',
  'line two',
  '',
].join('\n')

test('variables are read, multi-line values kept whole', () => {
  const env = parseEnv(output)
  assert.equal(env.get('FOO_BAR_PORT'), 'tcp://10.96.123.45:8765')
  assert.equal(env.get('MOTD'), 'line one\nline two')
  assert.equal(env.size, 6)
})

test('the services named by *_SERVICE_HOST variables', () => {
  assert.deepEqual(servicePrefixesInEnv(parseEnv(output)), ['FOO_BAR', 'KUBERNETES'])
})

test('service names become variable prefixes as kubelet makes them', () => {
  assert.equal(serviceEnvPrefix('foo-bar'), 'FOO_BAR')
})
