// Runs the Examples section of README.md: the code between the markers below must be the README's example.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { defaultAdmission } from '../apiserver/default-admission.ts'
import { MemoryStore } from '../apiserver/memory-store.ts'
import { FakeClock } from '../../../../wait/clock.ts'
import { startControllers } from './start-controllers.ts'

test('the README example runs: a LoadBalancer Service gets its EXTERNAL-IP and an EndpointSlice', async () => {
  const logs: string[] = []
  const log = (line: string): void => void logs.push(line)
  // README example start
  const clock = new FakeClock()
  const store = new MemoryStore({ admission: defaultAdmission() })
  const controllers = startControllers(store, {
    apiServer: { host: '172.18.0.2', port: 6443 },
    loadBalancerPool: '172.18.255.200-172.18.255.250',
    clock,
    log,
  })
  store.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] },
  })
  await controllers.idle() // every controller has done what it was told
  const web = store.get('services', 'default', 'web')!
  // web.status.loadBalancer.ingress is [{ ip: '172.18.255.200' }]; an empty EndpointSlice web-xxxxx exists
  controllers.stop()
  // README example end
  assert.deepEqual((web['status'] as { loadBalancer: unknown }).loadBalancer, {
    ingress: [{ ip: '172.18.255.200' }],
  })
  const slices = store.list('endpointslices', {
    namespace: 'default',
    labelSelector: 'kubernetes.io/service-name=web',
  })
  assert.deepEqual(
    slices.items.map((s) => [s.metadata.name?.startsWith('web-'), s['endpoints']]),
    [[true, []]],
  )
  assert.deepEqual(logs, [])
})

test('the README shows exactly that example', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8')
  const shown = /## Examples\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  const body = /\/\/ README example start\n([\s\S]*?)\s*\/\/ README example end/.exec(source)?.[1]
  const dedent = (text: string): string =>
    text
      .split('\n')
      .map((l) => l.replace(/^ {2}/, ''))
      .join('\n')
      .trim()
  assert.ok(shown && body, 'both the README example and the marked code exist')
  assert.equal(shown.trim(), dedent(body).replace(/\n\s*log,\n/, '\n'))
})
