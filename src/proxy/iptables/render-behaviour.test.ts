// Rule text for behaviours beyond the overall golden dump: LB source ranges and the node, ignored services.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildSnapshot } from '../snapshot.ts'
import { renderRules } from './render.ts'
import { checkRestore } from './rule-check.ts'
import { makeService, makeSlice } from './test-objects.ts'

const p80 = [{ name: 'p80', port: 80 }]
const lb = (ranges: string[]) =>
  makeService(
    'ns5',
    'svc5',
    {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.45',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }],
      loadBalancerSourceRanges: ranges,
    },
    { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
  )
const lbSlice = makeSlice('ns5', 'svc5', '1', p80, [{ ip: '10.180.0.3' }])

test('KUBE-FW admits the LB IP as a source when a source range contains the node IP (the node reaching its own VIP)', () => {
  const fw = (ranges: string[], nodeIP?: string) =>
    renderRules(buildSnapshot([lb(ranges)], [lbSlice], 'test-node'), { clusterCIDR: '10.0.0.0/8', nodeIP })
      .restore.split('\n')
      .filter((l) => l.startsWith('-A KUBE-FW-NUKIZ6OKUXPJNT4C '))
  assert.deepEqual(fw(['192.168.0.0/24', '203.0.113.0/25'], '192.168.0.2'), [
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 192.168.0.0/24 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 5.6.7.8 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
  ])
  assert.equal(
    fw(['203.0.113.0/25'], '192.168.0.2').length,
    2,
    'node outside the ranges: no LB-IP source rule',
  )
  assert.equal(fw(['0.0.0.0/0', '203.0.113.0/25'], '192.168.0.2').length, 0, 'a /0 range means no firewall')
})

test('Services labelled service-proxy-name or headless, and their slices, are ignored as upstream does', () => {
  const labelled = (labels: Record<string, string>) => {
    const svc = makeService('ns', 'x', { clusterIP: '10.96.0.9', ports: [{ port: 80 }] })
    svc.metadata!.labels = labels
    const slice = makeSlice('ns', 'x', 'a', [{ port: 80 }], [{ ip: '10.244.0.9' }])
    slice.metadata!.labels = { ...slice.metadata!.labels, ...labels }
    return renderRules(buildSnapshot([svc], [slice], 'n'), {}).restore
  }
  assert.match(labelled({}), /10\.96\.0\.9/)
  assert.ok(!labelled({ 'service.kubernetes.io/service-proxy-name': 'other-proxy' }).includes('10.96.0.9'))
  assert.ok(!labelled({ 'service.kubernetes.io/headless': '' }).includes('10.96.0.9'))
})

test('multi-port and SCTP/UDP services get one chain set per port and protocol', () => {
  const svc = makeService('ns', 'multi', {
    clusterIP: '10.96.0.30',
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'sig', port: 2905, protocol: 'SCTP' },
    ],
  })
  const slice = makeSlice(
    'ns',
    'multi',
    'a',
    [
      { name: 'dns', port: 5353, protocol: 'UDP' },
      { name: 'dns-tcp', port: 5353, protocol: 'TCP' },
      { name: 'sig', port: 2905, protocol: 'SCTP' },
    ],
    [{ ip: '10.244.0.5' }],
  )
  const r = renderRules(buildSnapshot([svc], [slice], 'n'), {}).restore
  assert.match(r, /"ns\/multi:dns cluster IP" -m udp -p udp -d 10\.96\.0\.30 --dport 53 -j KUBE-SVC-/)
  assert.match(r, /"ns\/multi:dns-tcp cluster IP" -m tcp -p tcp -d 10\.96\.0\.30 --dport 53 -j KUBE-SVC-/)
  assert.match(r, /"ns\/multi:sig cluster IP" -m sctp -p sctp -d 10\.96\.0\.30 --dport 2905 -j KUBE-SVC-/)
  assert.match(r, /-m udp -p udp -j DNAT --to-destination 10\.244\.0\.5:5353/)
  assert.deepEqual(checkRestore(r), [])
})

test('terminating endpoints are used only when no endpoint is ready (serving and terminating)', () => {
  const svc = makeService('ns', 't', { clusterIP: '10.96.0.31', ports: [{ port: 80 }] })
  const mixed = makeSlice(
    'ns',
    't',
    'a',
    [{ port: 80 }],
    [
      { ip: '10.244.0.1', ready: false, serving: true, terminating: true },
      { ip: '10.244.0.2', ready: true },
    ],
  )
  const onlyTerminating = makeSlice(
    'ns',
    't',
    'a',
    [{ port: 80 }],
    [
      { ip: '10.244.0.1', ready: false, serving: true, terminating: true },
      { ip: '10.244.0.3', ready: false, serving: false, terminating: true },
    ],
  )
  const a = renderRules(buildSnapshot([svc], [mixed], 'n'), {}).restore
  assert.ok(a.includes('10.244.0.2:80') && !a.includes('10.244.0.1:80'))
  const b = renderRules(buildSnapshot([svc], [onlyTerminating], 'n'), {}).restore
  assert.ok(b.includes('10.244.0.1:80'), 'serving+terminating fallback')
  assert.ok(!b.includes('10.244.0.3:80'), 'not serving: never used')
})
