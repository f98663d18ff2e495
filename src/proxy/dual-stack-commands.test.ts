// `proxy render` and `proxy trace` on dual-stack manifests: one payload per family, IPv6 packets followed through
// the ip6tables rules.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderCommand, renderFamilies } from './render-command.ts'
import { traceCommand } from './trace-command.ts'

const DUAL_STACK = `apiVersion: v1
kind: Service
metadata: {namespace: default, name: web}
spec:
  type: NodePort
  ipFamilies: [IPv4, IPv6]
  clusterIP: 10.96.0.20
  clusterIPs: [10.96.0.20, 'fd00:10:96::20']
  ports: [{port: 80, protocol: TCP, nodePort: 30080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {namespace: default, name: web-v4, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: '', port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.1.5], nodeName: n1}, {addresses: [10.244.2.5], nodeName: n2}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {namespace: default, name: web-v6, labels: {kubernetes.io/service-name: web}}
addressType: IPv6
ports: [{name: '', port: 8080, protocol: TCP}]
endpoints: [{addresses: ['fd00:10:244:1::5'], nodeName: n1}, {addresses: ['FD00:10:244:2:0::5'], nodeName: n2}]
---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}, {type: InternalIP, address: 'fc00:f853::2'}]}
`

// Runs a command with the manifest in a scratch file; returns its exit code and stdout.
async function withManifest(
  run: (argv: string[], out: (s: string) => void) => Promise<number>,
  args: string[],
): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-dual-'))
  try {
    const file = join(dir, 'm.yaml')
    writeFileSync(file, DUAL_STACK)
    let out = ''
    const code = await run(['-f', file, ...args], (s) => (out += s))
    return { code, out }
  } finally {
    rmSync(dir, { recursive: true })
  }
}

test('render: a dual-stack node prints both payloads, each headed; --ip-family picks one', async () => {
  const both = await withManifest(renderCommand, [
    '--hostname-override',
    'n1',
    '--cluster-cidr',
    '10.244.0.0/16,fd00:10:244::/56',
  ])
  assert.equal(both.code, 0)
  const [head4, v4, head6, v6] = both.out.split(/^(# IPv[46]: .*)\n/m).filter(Boolean)
  assert.equal(head4, '# IPv4: iptables-restore input')
  assert.equal(head6, '# IPv6: ip6tables-restore input')
  assert.match(v4!, /-d 10\.96\.0\.20 --dport 80 -j KUBE-SVC-/)
  assert.match(v4!, /! -s 10\.244\.0\.0\/16 -j KUBE-MARK-MASQ/)
  assert.match(v4!, /^:KUBE-FIREWALL /m)
  assert.match(v6!, /-d fd00:10:96::20 --dport 80 -j KUBE-SVC-/)
  assert.match(v6!, /! -s fd00:10:244::\/56 -j KUBE-MARK-MASQ/)
  assert.match(v6!, /--to-destination \[fd00:10:244:2::5\]:8080/)
  assert.match(v6!, /--dst-type LOCAL ! -d ::1\/128 -j KUBE-NODEPORTS/)
  assert.doesNotMatch(v6!, /10\.|KUBE-FIREWALL/)
  assert.doesNotMatch(v4!, /fd00/)
  const only6 = await withManifest(renderCommand, [
    '--hostname-override',
    'n1',
    '--cluster-cidr',
    '10.244.0.0/16,fd00:10:244::/56',
    '--ip-family',
    'ipv6',
  ])
  assert.equal(only6.out, v6, 'one family: its payload alone, no header')
})

test('render families: node IPs and cluster CIDRs decide, IPv4 when nothing says', () => {
  assert.deepEqual(renderFamilies({}, undefined), ['IPv4'])
  assert.deepEqual(renderFamilies({ 'node-ip': ['fc00::2'] }, undefined), ['IPv6'])
  assert.deepEqual(renderFamilies({ 'cluster-cidr': 'fd00::/48,10.0.0.0/8' }, undefined), ['IPv4', 'IPv6'])
  assert.deepEqual(
    renderFamilies({}, { status: { addresses: [{ type: 'InternalIP', address: 'fc00::2' }] } }),
    ['IPv6'],
  )
  assert.throws(() => renderFamilies({ 'ip-family': 'ipv5' }, undefined), /ip-family/)
})

test('trace: an IPv6 packet to the node port is DNATed to [IPv6]:port endpoints through the ip6tables rules', async () => {
  const { code, out } = await withManifest(traceCommand, [
    '--node',
    'n1',
    '--node-ip',
    'fc00:f853::2',
    '--node-ip',
    '172.18.0.2',
    '--src',
    '[2001:db8::9]:41000',
    '--dst',
    '[fc00:f853::2]:30080',
  ])
  assert.equal(code, 0, out)
  assert.match(out, /\[fd00:10:244:1::5\]:8080/)
  assert.match(out, /\[fd00:10:244:2::5\]:8080/)
  assert.match(out, /50(\.0)?\s*%/)
  assert.doesNotMatch(out, /10\.244\./)
  const v4 = await withManifest(traceCommand, [
    '--node',
    'n1',
    '--src',
    '10.244.1.9',
    '--dst',
    '10.96.0.20:80',
  ])
  assert.match(v4.out, /10\.244\.2\.5:8080/)
  const mixed = await withManifest(traceCommand, ['--src', '10.244.1.9', '--dst', '[fd00:10:96::20]:80'])
  assert.notEqual(mixed.code, 0)
})
