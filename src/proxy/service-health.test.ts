import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { makeService, makeSlice } from './iptables/test-objects.ts'
import { answerHealthCheck, healthCheckTargets, HttpServiceHealthServers } from './service-health.ts'
import { buildSnapshot } from './snapshot.ts'

const lb = makeService(
  'ns',
  'web',
  {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    clusterIP: '10.96.0.5',
    healthCheckNodePort: 30500,
    ports: [
      { name: 'http', port: 80, nodePort: 30080 },
      { name: 'https', port: 443, nodePort: 30443 },
    ],
  },
  { loadBalancer: { ingress: [{ ip: '172.18.255.1' }] } },
)
const slice = makeSlice(
  'ns',
  'web',
  'a',
  [
    { name: 'http', port: 8080 },
    { name: 'https', port: 8443 },
  ],
  [
    { ip: '10.244.1.2', node: 'a' },
    { ip: '10.244.1.3', node: 'a', ready: false },
    { ip: '10.244.2.2', node: 'b' },
  ],
)

test('targets count distinct local ready endpoints per service; answers match upstream (200/503, JSON, weight)', () => {
  const onA = healthCheckTargets(buildSnapshot([lb], [slice], 'a'))
  assert.deepEqual([...onA], [[30500, { service: 'ns/web', localEndpoints: 1 }]])
  const a = answerHealthCheck(onA.get(30500)!, true)
  assert.equal(a.status, 200)
  assert.equal(a.headers['X-Load-Balancing-Endpoint-Weight'], '1')
  assert.deepEqual(JSON.parse(a.body), {
    service: { namespace: 'ns', name: 'web' },
    localEndpoints: 1,
    serviceProxyHealthy: true,
  })
  assert.equal(answerHealthCheck(onA.get(30500)!, false).status, 503, 'proxy unhealthy')
  const onC = healthCheckTargets(buildSnapshot([lb], [slice], 'c'))
  assert.equal(answerHealthCheck(onC.get(30500)!, true).status, 503)
  const cluster = { ...lb, spec: { ...lb.spec, externalTrafficPolicy: 'Cluster' } }
  assert.equal(healthCheckTargets(buildSnapshot([cluster], [slice], 'a')).size, 0, 'only eTP Local')
})

// A free loopback TCP port.
async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

test('listeners open and close with the targets and answer over HTTP', async () => {
  const port = await freePort()
  const servers = new HttpServiceHealthServers({ host: '127.0.0.1', healthy: () => true, log: () => {} })
  try {
    await servers.sync(new Map([[port, { service: 'ns/web', localEndpoints: 2 }]]))
    let r = await fetch(`http://127.0.0.1:${port}/`)
    assert.equal(r.status, 200)
    assert.equal(((await r.json()) as { localEndpoints: number }).localEndpoints, 2)
    await servers.sync(new Map([[port, { service: 'ns/web', localEndpoints: 0 }]]))
    r = await fetch(`http://127.0.0.1:${port}/`)
    assert.equal(r.status, 503)
    await r.text()
    await servers.sync(new Map())
    assert.deepEqual(servers.ports, [])
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`))
  } finally {
    await servers.close()
  }
})
