import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryStore } from './memory-store.ts'
import { StatusError } from './status-error.ts'
import type { KubeObject } from './store.ts'

type Spec = Record<string, unknown> & { ports?: Record<string, unknown>[]; clusterIP?: string }
const svc = (name: string, spec: Spec): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec,
})
const specOf = (o: KubeObject | undefined) => o?.spec as Spec & { ports: Record<string, unknown>[] }
const rejects = (fn: () => unknown, code: number, message: string) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`)
    assert.equal(e.message, message)
    assert.equal(e.code, code)
    return true
  })

test('services get upstream defaults and a ClusterIP from the range', () => {
  const s = new MemoryStore()
  const a = s.create('services', svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }))
  const spec = specOf(a)
  assert.equal(spec.type, 'ClusterIP')
  assert.equal(spec.sessionAffinity, 'None')
  assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }])
  assert.deepEqual(spec.ipFamilies, ['IPv4'])
  assert.equal(spec.ipFamilyPolicy, 'SingleStack')
  assert.equal(spec.internalTrafficPolicy, 'Cluster')
  assert.equal(spec.externalTrafficPolicy, undefined)
  assert.match(spec.clusterIP!, /^10\.96\.\d+\.\d+$/)
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP])
  assert.deepEqual(a.status, { loadBalancer: {} })
  const np = specOf(
    s.create('services', svc('np', { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] })),
  )
  assert.equal(np.externalTrafficPolicy, 'Cluster')
  const nodePort = np.ports[0]!.nodePort as number
  assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort))
  const headless = specOf(s.create('services', svc('h', { clusterIP: 'None', ports: [{ port: 80 }] })))
  assert.deepEqual(headless.clusterIPs, ['None'])
  const ext = specOf(s.create('services', svc('ext', { type: 'ExternalName', externalName: 'example.com' })))
  assert.equal(ext.clusterIP, undefined)
})

test('requested ClusterIPs must be in range and free; the messages match upstream', () => {
  const s = new MemoryStore()
  s.create(
    'services',
    svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] }),
  )
  s.create('services', svc('dns', { clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] }))
  rejects(
    () => s.create('services', svc('a', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })),
    422,
    'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.10": provided IP is already allocated',
  )
  rejects(
    () => s.create('services', svc('b', { clusterIP: '1.2.3.4', ports: [{ port: 80 }] })),
    422,
    'Service "b" is invalid: spec.clusterIPs[0]: Invalid value: "1.2.3.4": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/16',
  )
  for (const edge of ['10.96.0.0', '10.96.255.255']) {
    assert.throws(
      () => s.create('services', svc('c', { clusterIP: edge, ports: [{ port: 80 }] })),
      /not in the valid range/,
    )
  }
})

test('node ports: requested ports must be in range and free, with upstream messages; released on delete', () => {
  const s = new MemoryStore({ nodePortRange: '30000-32767' })
  s.create('services', svc('one', { type: 'NodePort', ports: [{ port: 80, nodePort: 32233 }] }))
  rejects(
    () => s.create('services', svc('two', { type: 'NodePort', ports: [{ port: 80, nodePort: 32233 }] })),
    422,
    'Service "two" is invalid: spec.ports[0].nodePort: Invalid value: 32233: provided port is already allocated',
  )
  rejects(
    () => s.create('services', svc('three', { type: 'NodePort', ports: [{ port: 80, nodePort: 20000 }] })),
    422,
    'Service "three" is invalid: spec.ports[0].nodePort: Invalid value: 20000: provided port is not in the valid range. The range of valid ports is 30000-32767',
  )
  const ip = specOf(s.get('services', 'default', 'one')).clusterIP!
  s.delete('services', 'default', 'one')
  const again = s.create(
    'services',
    svc('two', { type: 'NodePort', clusterIP: ip, ports: [{ port: 80, nodePort: 32233 }] }),
  )
  assert.equal(specOf(again).ports[0]!.nodePort, 32233, 'port and IP are free again after delete')
})

test('a failed create leaves nothing allocated', () => {
  const s = new MemoryStore()
  s.create('services', svc('taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }))
  assert.throws(() =>
    s.create(
      'services',
      svc('x', {
        type: 'NodePort',
        clusterIP: '10.96.5.5',
        ports: [
          { name: 'a', port: 80, nodePort: 30002 },
          { name: 'b', port: 81, nodePort: 30001 },
        ],
      }),
    ),
  )
  s.create(
    'services',
    svc('y', { type: 'NodePort', clusterIP: '10.96.5.5', ports: [{ port: 80, nodePort: 30002 }] }),
  )
})

test('validation reports every problem at once with field paths', () => {
  const s = new MemoryStore()
  rejects(
    () =>
      s.create(
        'services',
        svc('bad', { type: 'Foo', ports: [{ port: 80 }, { port: 70000, protocol: 'ICMP' }] }),
      ),
    422,
    'Service "bad" is invalid: [spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort", spec.ports[0].name: Required value, spec.ports[1].name: Required value, spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP", spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]',
  )
  rejects(
    () => s.create('services', svc('cip', { ports: [{ port: 80, nodePort: 30080 }] })),
    422,
    'Service "cip" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
  )
  assert.throws(
    () =>
      s.create(
        'services',
        svc('dup', {
          ports: [
            { name: 'x', port: 80 },
            { name: 'x', port: 81 },
          ],
        }),
      ),
    /spec\.ports\[1\]\.name: Duplicate value: "x"/,
  )
  assert.throws(
    () => s.create('services', svc('Upper', { ports: [{ port: 80 }] })),
    /metadata\.name: Invalid value: "Upper": a DNS-1035 label/,
  )
})

test('updates keep allocations, forbid changing the ClusterIP, and release on type change', () => {
  const s = new MemoryStore()
  const np = s.create('services', svc('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] }))
  const ip = specOf(np).clusterIP!
  // A PUT that omits clusterIP and nodePort keeps both.
  const put = s.update('services', svc('web', { type: 'NodePort', ports: [{ port: 80 }] }))
  assert.equal(specOf(put).clusterIP, ip)
  assert.equal(specOf(put).ports[0]!.nodePort, 30100)
  rejects(
    () =>
      s.update('services', svc('web', { type: 'NodePort', clusterIP: '10.96.9.9', ports: [{ port: 80 }] })),
    422,
    'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.9.9"]: may not change once set',
  )
  // NodePort -> ClusterIP drops and releases the node port.
  const cip = s.update('services', { ...put, spec: { ...specOf(put), type: 'ClusterIP' } })
  assert.equal(specOf(cip).ports[0]!.nodePort, undefined)
  assert.equal(specOf(cip).externalTrafficPolicy, undefined)
  s.create('services', svc('other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] }))
  // ClusterIP -> ExternalName releases the IP.
  s.update('services', {
    ...cip,
    spec: { ...specOf(cip), type: 'ExternalName', externalName: 'example.com' },
  })
  s.create('services', svc('reuse', { clusterIP: ip, ports: [{ port: 80 }] }))
  // ClusterIP -> NodePort allocates a port.
  const back = s.update('services', svc('reuse', { type: 'NodePort', ports: [{ port: 80 }] }))
  assert.ok(Number(specOf(back).ports[0]!.nodePort) >= 30000)
})

test('LoadBalancer with externalTrafficPolicy Local gets a healthCheckNodePort', () => {
  const s = new MemoryStore()
  const lb = specOf(
    s.create(
      'services',
      svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }),
    ),
  )
  assert.ok(Number(lb.healthCheckNodePort) >= 30000)
  assert.ok(Number(lb.ports[0]!.nodePort) >= 30000)
  assert.notEqual(lb.healthCheckNodePort, lb.ports[0]!.nodePort)
})
