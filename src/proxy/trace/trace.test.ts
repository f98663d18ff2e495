// Packet-flow tests (as upstream's runPacketFlowTests): packets followed through rules rendered for the services of
// upstream's TestOverallIPTablesRules, checking where they end up, with what chance, and whether they are SNATed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildSnapshot } from '../snapshot.ts'
import { renderRules } from '../iptables/render.ts'
import { parseIptablesSave } from '../iptables/restore-parse.ts'
import { overallRulesObjects } from '../iptables/test-objects.ts'
import { formatTrace } from './format.ts'
import { tracePacket, type TraceOutcome, type TracePacket } from './trace.ts'

const NODE_IP = '192.168.0.2'
const { services, slices } = overallRulesObjects()
const rendered = renderRules(buildSnapshot(services, slices, 'test-node'), {
  clusterCIDR: '10.0.0.0/8',
  nfacct: true,
  nodeIP: NODE_IP,
})
const dump = parseIptablesSave(rendered.restore)

// Where a packet ends up: "ip:port" (or the verdict), whether masqueraded, and the chance, one entry per outcome.
function flow(pkt: TracePacket, fromNode = false): string[] {
  const out: TraceOutcome[] = tracePacket(dump, pkt, { localIPs: [NODE_IP], fromNode })
  return out.map(
    (o) =>
      `${o.verdict === 'DNAT' ? o.destination : o.verdict}${o.masqueraded ? ' masq' : ''} ${o.probability}`,
  )
}

test('cluster IP from a pod: DNAT to the endpoint, no SNAT (source inside the cluster CIDR)', () => {
  assert.deepEqual(flow({ src: '10.0.0.2', dst: '172.30.0.41', dport: 80 }), ['10.180.0.1:80 1'])
})

test('cluster IP from outside the cluster CIDR: DNAT and masquerade', () => {
  assert.deepEqual(flow({ src: '203.0.113.5', dst: '172.30.0.41', dport: 80 }), ['10.180.0.1:80 masq 1'])
})

test('external IP with two endpoints: each with probability 1/2, masqueraded (eTP Cluster)', () => {
  assert.deepEqual(flow({ src: '203.0.113.5', dst: '192.168.99.33', dport: 80 }), [
    '10.180.0.4:80 masq 0.5',
    '10.180.0.5:80 masq 0.5',
  ])
})

test('load balancer IP with source ranges: allowed source reaches the endpoint, others are dropped', () => {
  assert.deepEqual(flow({ src: '203.0.113.5', dst: '5.6.7.8', dport: 80 }), ['10.180.0.3:80 masq 1'])
  assert.deepEqual(flow({ src: '203.0.113.200', dst: '5.6.7.8', dport: 80 }), ['DROP 1'])
})

test('a service without endpoints is REJECTed; eTP Local without local endpoints DROPs outside traffic', () => {
  assert.deepEqual(flow({ src: '10.0.0.2', dst: '172.30.0.46', dport: 80 }), ['REJECT 1'])
  assert.deepEqual(flow({ src: '203.0.113.5', dst: NODE_IP, dport: 3001 }), ['DROP 1'])
  assert.deepEqual(flow({ src: '203.0.113.5', dst: '192.168.99.22', dport: 80 }), ['DROP 1'])
})

test('eTP Local short-circuits pod traffic to an external IP to the cluster-wide endpoints, keeping the source', () => {
  assert.deepEqual(flow({ src: '10.0.0.2', dst: '192.168.99.22', dport: 80 }), ['10.180.0.2:80 1'])
})

test('node port from outside and localhost node port from the node: DNAT with masquerade', () => {
  assert.deepEqual(flow({ src: '203.0.113.5', dst: NODE_IP, dport: 3003 }), ['10.180.0.3:80 masq 1'])
  assert.deepEqual(flow({ src: '127.0.0.1', dst: '127.0.0.1', dport: 3003 }, true), ['10.180.0.3:80 masq 1'])
  assert.deepEqual(flow({ src: '203.0.113.5', dst: NODE_IP, dport: 3999 }), ['ACCEPT 1'], 'no such node port')
})

test('UDP does not match TCP rules; the printed trace names every rule and the destinations', () => {
  assert.deepEqual(flow({ src: '10.0.0.2', dst: '172.30.0.41', dport: 80, proto: 'udp' }), ['ACCEPT 1'])
  const pkt = { src: '203.0.113.5', dst: '192.168.99.33', dport: 80 }
  const text = formatTrace(pkt, { localIPs: [NODE_IP] }, tracePacket(dump, pkt, { localIPs: [NODE_IP] }))
  assert.match(text, /nat KUBE-SERVICES: "ns4\/svc4:p80 external IP" -> KUBE-EXT-4SW47YFZTEDKD3PK/)
  assert.match(text, /\[p=0\.5\]/)
  assert.match(text, /destinations: 10\.180\.0\.4:80 50%, 10\.180\.0\.5:80 50%/)
  assert.match(text, /nat PREROUTING: "kubernetes service portals" -> KUBE-SERVICES/)
})

test('session affinity: the first packet is balanced, and the trace says later ones stick', () => {
  const pkt = { src: '203.0.113.5', dst: '5.6.7.8', dport: 80 }
  const text = formatTrace(pkt, { localIPs: [NODE_IP] }, tracePacket(dump, pkt, { localIPs: [NODE_IP] }))
  assert.match(text, /session affinity \(ClientIP\): later packets from this source stick to this endpoint/)
  assert.match(text, /nat KUBE-MARK-MASQ: \(every packet\) -> MARK --or-mark/)
})

test('a live dump whose nat table was flushed: PREROUTING is declared but empty, so nothing is DNATed', () => {
  // `iptables -t nat -F` leaves every chain declared and none with a rule; the filter table keeps its rules.
  const [filter, nat] = rendered.restore.split('*nat\n')
  const chains = nat!.split('\n').filter((l) => l.startsWith(':'))
  const builtins = [':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]']
  const flushed = parseIptablesSave(`${filter}*nat\n${[...builtins, ...chains].join('\n')}\nCOMMIT\n`)
  const out = tracePacket(
    flushed,
    { src: '10.0.0.2', dst: '172.30.0.41', dport: 80 },
    { localIPs: [NODE_IP] },
  )
  assert.deepEqual(
    out.map((o) => [o.verdict, o.steps.every((s) => s.table === 'filter')]),
    [['ACCEPT', true]],
  )
})
