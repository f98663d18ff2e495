import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parseManifests } from '../../kube/apply.ts'
import { DEFAULT_K3S_OPTIONS, planK3s } from './plan.ts'

const plan = planK3s(DEFAULT_K3S_OPTIONS, '/repo', '/tmp/x/svcnet.tar')

test('k3s runs without its kube-proxy and CoreDNS, on the CIDRs deploy/ is written for', () => {
  assert.equal(plan.serverCommand[0], 'server')
  assert.ok(plan.serverCommand.includes('--disable-kube-proxy'))
  const disabled = plan.serverCommand
    .find((a) => a.startsWith('--disable='))!
    .slice('--disable='.length)
    .split(',')
  assert.ok(disabled.includes('coredns'))
  assert.ok(
    disabled.includes('traefik'),
    'overriding the command drops the module default --disable=traefik; re-added',
  )
  assert.ok(plan.serverCommand.includes('--service-cidr=10.96.0.0/16'))
  assert.ok(plan.serverCommand.includes('--cluster-cidr=10.244.0.0/16'))
})

test('--cluster-dns is the kube-dns Service address in deploy/dns.yaml', () => {
  const path = new URL('../../../deploy/dns.yaml', import.meta.url)
  const svc = parseManifests(readFileSync(path, 'utf8'), 'dns.yaml').find(
    (m) => m.object.kind === 'Service' && m.object.metadata?.name === 'kube-dns',
  )
  const ip = (svc?.object as { spec: { clusterIP: string } }).spec.clusterIP
  assert.ok(plan.serverCommand.includes(`--cluster-dns=${ip}`), ip)
})

test('the image is built, saved to a tar, and imported into k3s containerd (no kind load here)', () => {
  assert.deepEqual(plan.buildImage.argv.slice(0, 4), ['docker', 'build', '--tag', 'svcnet/svcnet:dev'])
  assert.deepEqual(plan.saveImage.argv, [
    'docker',
    'save',
    '--output',
    '/tmp/x/svcnet.tar',
    'svcnet/svcnet:dev',
  ])
  assert.deepEqual(plan.importImage, ['k3s', 'ctr', 'images', 'import', plan.imageTarInContainer])
})

test("svcnet's proxy and DNS are applied; nothing to delete since CoreDNS is disabled", () => {
  assert.deepEqual(plan.manifests, ['/repo/deploy/kube-proxy.yaml', '/repo/deploy/dns.yaml'])
  assert.equal(plan.deleteCoreDns, false)
  assert.deepEqual(plan.waitFor, {
    proxyDaemonSet: 'kube-system/kube-proxy',
    dnsDeployment: 'kube-system/svcnet-dns',
  })
})
