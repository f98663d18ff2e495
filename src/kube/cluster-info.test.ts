import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseManifests } from './apply.ts'
import { DEPLOY_DIR } from '../paths.ts'
import { clusterInfoConfigMap } from './cluster-info.ts'

// Every configMapKeyRef on svcnet-cluster in a manifest, with whether it is optional.
function keyRefs(file: string): { key: string; optional: boolean }[] {
  const out: { key: string; optional: boolean }[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit)
    if (!v || typeof v !== 'object') return
    const ref = (v as { configMapKeyRef?: { name: string; key: string; optional?: boolean } }).configMapKeyRef
    if (ref?.name === 'svcnet-cluster') out.push({ key: ref.key, optional: ref.optional === true })
    Object.values(v).forEach(visit)
  }
  const path = join(DEPLOY_DIR, file)
  for (const m of parseManifests(readFileSync(path, 'utf8'), path)) visit(m.object)
  return out
}

test('the ConfigMap carries every key deploy/kube-proxy.yaml and deploy/dns.yaml require', () => {
  const cm = clusterInfoConfigMap({
    apiserver: 'https://172.18.0.2:6443',
    clusterCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
  })
  const refs = [...keyRefs('kube-proxy.yaml'), ...keyRefs('dns.yaml')]
  assert.ok(refs.length >= 3, 'the manifests read the ConfigMap')
  for (const r of refs.filter((x) => !x.optional)) assert.ok(r.key in cm.data, `missing key ${r.key}`)
  assert.equal(cm.metadata?.namespace, 'kube-system')
})

test('dnsUpstream is written only when given (absent: svcnet DNS forwards to the node resolvers)', () => {
  const base = { apiserver: 'https://x:6443', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' }
  assert.equal('dnsUpstream' in clusterInfoConfigMap(base).data, false)
  assert.equal(clusterInfoConfigMap({ ...base, dnsUpstream: 'none' }).data.dnsUpstream, 'none')
})
