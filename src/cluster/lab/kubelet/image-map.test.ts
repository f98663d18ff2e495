import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  curlEntrypoint,
  hostCommandExists,
  parseImageRef,
  resolveLaunch,
  type ContainerLaunch,
  type LaunchError,
} from './image-map.ts'
import { LEAN_NODE_FLAGS } from '../../../paths.ts'

const ctx = { nodeBinary: '/n/node', cliEntry: '/src/cli/main.ts' }
const launch = (
  image: string,
  command: string[] = [],
  args: string[] = [],
  env: Record<string, string> = {},
) => resolveLaunch(image, command, args, env, ctx)
const ok = (r: ContainerLaunch | LaunchError): ContainerLaunch => {
  assert.ok('argv' in r, `expected a launch, got ${JSON.stringify(r)}`)
  return r
}

test('parseImageRef splits registry, repository and tag', () => {
  assert.deepEqual(parseImageRef('gcr.io/google-samples/hello-app:2.0'), {
    registry: 'gcr.io',
    repository: 'google-samples/hello-app',
    tag: '2.0',
  })
  assert.deepEqual(parseImageRef('nginx'), { registry: '', repository: 'nginx', tag: '' })
  assert.deepEqual(parseImageRef('docker.io/library/nginx:1.27@sha256:abc'), {
    registry: '',
    repository: 'nginx',
    tag: '1.27',
  })
  assert.deepEqual(parseImageRef('localhost:5000/svcnet/svcnet:dev'), {
    registry: 'localhost:5000',
    repository: 'svcnet/svcnet',
    tag: 'dev',
  })
})

test('hello-app takes its version from the tag and listens on $PORT', () => {
  const r = ok(launch('gcr.io/google-samples/hello-app:2.0', [], [], { PORT: '9000' }))
  assert.equal(r.program, 'hello-app')
  assert.deepEqual(r.argv, [
    '/n/node',
    ...LEAN_NODE_FLAGS,
    '/src/cli/main.ts',
    'workload',
    'hello-app',
    '--version=2.0.0',
  ])
  assert.deepEqual(r.ports, [{ port: 9000, protocol: 'TCP' }])
  assert.deepEqual(ok(launch('us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0')).ports, [
    { port: 8080, protocol: 'TCP' },
  ])
})

test('nginx images run the nginx workload on port 80', () => {
  const r = ok(launch('nginx:1.27'))
  assert.equal(r.program, 'nginx')
  assert.deepEqual(r.ports, [{ port: 80, protocol: 'TCP' }])
})

test('agnhost netexec keeps its flags and listens on its ports', () => {
  const r = ok(
    launch(
      'registry.k8s.io/e2e-test-images/agnhost:2.53',
      [],
      ['netexec', '--http-port=8080', '--udp-port', '8081'],
    ),
  )
  assert.equal(r.program, 'netexec')
  assert.deepEqual(r.argv.slice(2 + LEAN_NODE_FLAGS.length), [
    'workload',
    'netexec',
    '--http-port=8080',
    '--udp-port',
    '8081',
  ])
  assert.deepEqual(r.ports, [
    { port: 8080, protocol: 'TCP' },
    { port: 8081, protocol: 'UDP' },
  ])
  assert.deepEqual(ok(launch('agnhost:2.53', ['/agnhost', 'netexec', '--udp-port=-1'])).ports, [
    { port: 8080, protocol: 'TCP' },
  ])
  assert.equal(ok(launch('agnhost:2.53', [], ['pause'])).program, 'pause')
  const other = launch('agnhost:2.53', [], ['serve-hostname'])
  assert.ok('reason' in other && other.reason === 'CreateContainerError')
})

test('tools images pause for sleep, run other commands from the host', () => {
  assert.equal(ok(launch('busybox:1.36')).program, 'pause')
  assert.deepEqual(ok(launch('busybox', ['sleep', '3600'])).argv.slice(2 + LEAN_NODE_FLAGS.length), [
    'workload',
    'pause',
    '--seconds=3600',
  ])
  assert.deepEqual(
    ok(launch('nicolaka/netshoot', ['sh', '-c', 'sleep infinity'])).argv.slice(2 + LEAN_NODE_FLAGS.length),
    ['workload', 'pause'],
  )
  assert.equal(ok(launch('registry.k8s.io/pause:3.10')).program, 'pause')
  const cmd = ok(launch('busybox', ['sh', '-c', 'while true; do wget -qO- http://web; sleep 1; done']))
  assert.equal(cmd.program, 'command')
  assert.deepEqual(cmd.argv, ['sh', '-c', 'while true; do wget -qO- http://web; sleep 1; done'])
  assert.deepEqual(ok(launch('curlimages/curl:8.10.1', [], ['-s', 'http://web'])).argv, [
    'curl',
    '-s',
    'http://web',
  ])
})

test("curlimages/curl's entrypoint puts curl first only for an option, no argument or a non-command", () => {
  const curl = (args: string[]) => ok(launch('curlimages/curl', [], args)).argv
  // kubectl run x --image=curlimages/curl -- curl URL: the args start with a command on PATH.
  assert.deepEqual(curl(['curl', '-s', 'http://web']), ['curl', '-s', 'http://web'])
  assert.deepEqual(curl(['sh', '-c', 'curl -s http://web']), ['sh', '-c', 'curl -s http://web'])
  assert.deepEqual(curl(['http://web']), ['curl', 'http://web'])
  assert.deepEqual(
    curlEntrypoint([], () => true),
    ['curl'],
  )
  assert.deepEqual(
    curlEntrypoint(['nslookup', 'web'], (n) => n === 'curl'),
    ['curl', 'nslookup', 'web'],
  )
  // An explicit command replaces the entrypoint.
  assert.deepEqual(ok(launch('curlimages/curl', ['curl'], ['http://web'])).argv, ['curl', 'http://web'])
})

test('hostCommandExists finds commands on PATH and executables by path', () => {
  assert.equal(hostCommandExists('sh'), true)
  assert.equal(hostCommandExists('/bin/sh'), true)
  assert.equal(hostCommandExists('svcnet-no-such-command'), false)
  assert.equal(hostCommandExists(import.meta.filename), false) // a file without execute bits
  assert.equal(hostCommandExists(''), false)
})

test('svcnet/svcnet runs the svcnet CLI with the command after "svcnet" and the args', () => {
  const r = ok(launch('svcnet/svcnet:dev', ['svcnet', 'proxy'], ['--hostname-override=kind-worker']))
  assert.deepEqual(r.argv, [
    '/n/node',
    ...LEAN_NODE_FLAGS,
    '/src/cli/main.ts',
    'proxy',
    '--hostname-override=kind-worker',
  ])
  assert.equal(r.program, 'svcnet')
})

test('an unknown image is ErrImagePull with a message that lists the known images', () => {
  const r = launch('quay.io/someone/thing:v1')
  assert.ok('reason' in r)
  assert.equal(r.reason, 'ErrImagePull')
  assert.match(
    r.message,
    /^Failed to pull image "quay\.io\/someone\/thing:v1": .*known images: .*hello-app.*nginx.*agnhost.*busybox/,
  )
})
