import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderCommand, renderOptions } from './render-command.ts'

const MANIFESTS = `apiVersion: v1
kind: Service
metadata: {namespace: default, name: web}
spec:
  type: NodePort
  clusterIP: 10.96.0.20
  ports: [{port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {namespace: default, name: lb}
spec:
  type: LoadBalancer
  clusterIP: 10.96.0.21
  loadBalancerSourceRanges: [192.168.0.0/24]
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30081}]
status: {loadBalancer: {ingress: [{ip: 172.18.255.200}]}}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {namespace: default, name: web-abc, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: '', port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.1.5], nodeName: kind-worker}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {namespace: default, name: lb-abc, labels: {kubernetes.io/service-name: lb}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.2.5]}]
`

test('render reads manifests as given: a NodePort Service without nodePort gets no node-port rules', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-render-'))
  try {
    const file = join(dir, 'm.yaml')
    writeFileSync(file, MANIFESTS)
    let out = ''
    const code = await renderCommand(
      [
        '-f',
        file,
        '--hostname-override',
        'kind-worker',
        '--cluster-cidr',
        '10.244.0.0/16',
        '--node-ip',
        '192.168.0.2',
      ],
      (s) => (out += s),
    )
    assert.equal(code, 0)
    assert.match(out, /^\*filter\n/)
    assert.match(out, /COMMIT\n\*nat\n[\s\S]*COMMIT\n$/)
    assert.ok(!/KUBE-NODEPORTS .*default\/web /.test(out), 'no nodePort field: no node-port rule')
    assert.match(
      out,
      /-A KUBE-NODEPORTS -m comment --comment default\/lb:http -m tcp -p tcp --dport 30081 -j KUBE-EXT-/,
    )
    assert.match(
      out,
      /"default\/lb:http loadbalancer IP" -s 172\.18\.255\.200 -j KUBE-EXT-/,
      '--node-ip in a source range',
    )
    let again = ''
    await renderCommand(
      [
        '-f',
        file,
        '--hostname-override',
        'kind-worker',
        '--cluster-cidr',
        '10.244.0.0/16',
        '--node-ip',
        '192.168.0.2',
      ],
      (s) => (again += s),
    )
    assert.equal(again, out, 'deterministic')
    // Without --node-ip, a Node named by --hostname-override gives its InternalIP.
    writeFileSync(
      join(dir, 'node.yaml'),
      'kind: Node\nmetadata: {name: kind-worker}\nstatus: {addresses: [{type: InternalIP, address: 192.168.0.7}]}\n',
    )
    let viaNode = ''
    await renderCommand(
      [
        '-f',
        file,
        '-f',
        join(dir, 'node.yaml'),
        '--hostname-override',
        'kind-worker',
        '--cluster-cidr',
        '10.244.0.0/16',
      ],
      (s) => (viaNode += s),
    )
    assert.equal(viaNode, out, 'the Node InternalIP in the source range acts as --node-ip')
  } finally {
    rmSync(dir, { recursive: true })
  }
})

test('--nodeport-addresses picks node IPs (and loopback) inside the CIDRs; without loopback no localhost node ports', () => {
  const o = renderOptions({ 'node-ip': ['172.18.0.2', 'fc00::2'], 'nodeport-addresses': '172.18.0.0/16' })
  assert.deepEqual(o.nodePortIPs, ['172.18.0.2'])
  assert.equal(o.localhostNodePorts, false)
  const withLoopback = renderOptions({
    'node-ip': ['172.18.0.2'],
    'nodeport-addresses': '127.0.0.0/8,primary',
  })
  assert.deepEqual(withLoopback.nodePortIPs, ['127.0.0.1', '172.18.0.2'])
  assert.equal(withLoopback.localhostNodePorts, true)
  assert.throws(
    () => renderOptions({ 'node-ip': ['x.y'], 'cluster-cidr': '10.0.0.0/33' }),
    /cluster-cidr[\s\S]*node-ip/,
  )
})

test('manifests: JSON Lists, YAML Lists and Nodes are read; bad YAML names the file', async () => {
  const { readManifests } = await import('./manifests.ts')
  const list = JSON.stringify({
    kind: 'List',
    items: [{ kind: 'Service', metadata: { name: 'a' } }, { kind: 'Node' }],
  })
  const m = readManifests(list, 'x.json')
  assert.equal(m.services.length, 1)
  assert.equal(m.nodes.length, 1)
  const y = readManifests(
    'kind: ServiceList\nitems:\n- kind: Service\n  spec: {ports: [{port: 80, name: "yes"}]}\n',
    'y',
  )
  assert.equal(y.services[0]!.spec!.ports![0]!.port, 80, 'numbers stay numbers')
  assert.equal(y.services[0]!.spec!.ports![0]!.name, 'yes')
  assert.throws(() => readManifests('kind: [\n', 'bad.yaml'), /bad\.yaml: invalid YAML/)
})
