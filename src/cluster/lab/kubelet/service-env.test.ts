import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KubeObject } from '../control-plane/apiserver/store.ts'
import { podServiceEnv, serviceEnvVars } from './service-env.ts'

const svc = (namespace: string, name: string, clusterIP: string, ports: object[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace, name },
  spec: { clusterIP, ports },
})

const kubernetes = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }])

test('default/kubernetes gives the variables every pod gets', () => {
  assert.deepEqual(Object.fromEntries(serviceEnvVars(kubernetes)), {
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
  })
})

test('kube-dns: same port number with two protocols stays distinct; dashes become underscores', () => {
  const env = Object.fromEntries(
    serviceEnvVars(
      svc('kube-system', 'kube-dns', '10.96.0.10', [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ]),
    ),
  )
  assert.equal(env.KUBE_DNS_PORT, 'udp://10.96.0.10:53')
  assert.equal(env.KUBE_DNS_SERVICE_PORT_DNS_TCP, '53')
  assert.equal(env.KUBE_DNS_PORT_53_UDP_PROTO, 'udp')
  assert.equal(env.KUBE_DNS_PORT_53_TCP, 'tcp://10.96.0.10:53')
  assert.equal(env.KUBE_DNS_PORT_9153_TCP_ADDR, '10.96.0.10')
  assert.equal(Object.keys(env).length, 18)
})

test('IPv6 addresses are bracketed in URLs only; unnamed port has no _SERVICE_PORT_<NAME>', () => {
  const v6 = Object.fromEntries(
    serviceEnvVars(svc('t', 'svc6', '1234:abcd::1', [{ name: 'http', port: 80 }])),
  )
  assert.equal(v6.SVC6_PORT, 'tcp://[1234:abcd::1]:80')
  assert.equal(v6.SVC6_PORT_80_TCP_ADDR, '1234:abcd::1')
  const unnamed = serviceEnvVars(svc('t', 'svc-unnamed', '10.0.0.5', [{ port: 8080 }])).map(([k]) => k)
  assert.deepEqual(unnamed.sort(), [
    'SVC_UNNAMED_PORT',
    'SVC_UNNAMED_PORT_8080_TCP',
    'SVC_UNNAMED_PORT_8080_TCP_ADDR',
    'SVC_UNNAMED_PORT_8080_TCP_PORT',
    'SVC_UNNAMED_PORT_8080_TCP_PROTO',
    'SVC_UNNAMED_SERVICE_HOST',
    'SVC_UNNAMED_SERVICE_PORT',
  ])
  assert.deepEqual(serviceEnvVars(svc('t', 'hdls', 'None', [{ port: 80 }])), [])
})

test('a pod sees its own namespace Services plus default/kubernetes, only kubernetes without service links', () => {
  const services = [
    kubernetes,
    svc('app', 'web', '10.96.5.5', [{ port: 80 }]),
    svc('other', 'db', '10.96.6.6', [{ port: 5432 }]),
  ]
  const keys = podServiceEnv(services, 'app', true).map(([k]) => k)
  assert.ok(keys.includes('WEB_SERVICE_HOST'))
  assert.ok(keys.includes('KUBERNETES_SERVICE_HOST'))
  assert.ok(!keys.includes('DB_SERVICE_HOST'))
  const noLinks = podServiceEnv(services, 'app', false).map(([k]) => k)
  assert.ok(noLinks.includes('KUBERNETES_SERVICE_HOST'))
  assert.ok(!noLinks.includes('WEB_SERVICE_HOST'))
  const own = podServiceEnv([kubernetes, svc('app', 'kubernetes', '10.96.9.9', [{ port: 80 }])], 'app', true)
  assert.equal(Object.fromEntries(own).KUBERNETES_SERVICE_HOST, '10.96.9.9')
})
