// Which requests a failure traces, and the trace attachment itself (from a real rendered rule set).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeProbe } from '../checks/http-probe.ts'
import {
  addressesIn,
  probeFailed,
  requestsToTrace,
  routeOf,
  targetOf,
  traceName,
  traceReport,
} from './request-trace.ts'

const probe = (from: string, url: string, curlExit: number, status = 0) => ({
  at: 't',
  from,
  url,
  answeredBy: undefined,
  outcome: describeProbe({ url, curlExit, status, body: 'Hostname: web-1', error: 'curl: (7) refused' }),
  times: 1,
})

test('a request failed when curl gave up or the answer was not 2xx', () => {
  assert.equal(probeFailed(probe('outside', 'http://1.2.3.4:80/', 7)), true)
  assert.equal(probeFailed(probe('outside', 'http://1.2.3.4:80/', 0, 503)), true)
  assert.equal(probeFailed(probe('outside', 'http://1.2.3.4:80/', 0, 200)), false)
})

test('each failed sender and target is traced once, newest first; none failed: the last request', () => {
  const probes = [
    probe('outside', 'http://172.18.0.3:30080/?a', 7),
    probe('pod client', 'http://10.96.0.12/', 28),
    probe('outside', 'http://172.18.0.3:30080/?b', 7),
    probe('this machine (loopback)', 'http://127.0.0.1:8080/', 7),
    probe('outside', 'http://172.18.0.2:30080/', 0, 200),
  ]
  assert.deepEqual(
    requestsToTrace(probes).map((r) => `${r.from} ${r.host}:${r.port}`),
    ['outside 172.18.0.3:30080', 'pod client 10.96.0.12:80'],
  )
  const ok = [probe('pod client', 'http://web.ns.svc.cluster.local:8080/', 0, 200)]
  assert.deepEqual(requestsToTrace(ok), [
    {
      from: 'pod client',
      host: 'web.ns.svc.cluster.local',
      port: 8080,
      proto: 'tcp',
      why: `last request: ${ok[0]!.outcome}`,
    },
  ])
  assert.equal(targetOf('not a url'), undefined)
})

test('addresses and routes are read from ip output', () => {
  assert.deepEqual(
    addressesIn(
      '1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 172.18.0.3/16 brd 172.18.255.255 scope global eth0\n',
    ),
    ['127.0.0.1', '172.18.0.3'],
  )
  assert.deepEqual(routeOf('172.18.255.200 via 172.18.0.3 dev eth0 src 172.18.0.100 uid 0\n    cache\n'), {
    via: '172.18.0.3',
    src: '172.18.0.100',
  })
  assert.deepEqual(routeOf('172.18.0.2 dev eth0 src 172.18.0.100 uid 0'), { src: '172.18.0.100' })
})

const LIVE = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-X - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.12/32 -p tcp -m comment --comment "ns/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-X
-A KUBE-SVC-X -m comment --comment "ns/web -> 10.244.1.2:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-A
-A KUBE-SVC-X -m comment --comment "ns/web -> 10.244.2.2:8080" -j KUBE-SEP-B
-A KUBE-SEP-A -p tcp -m comment --comment "ns/web" -m tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SEP-B -p tcp -m comment --comment "ns/web" -m tcp -j DNAT --to-destination 10.244.2.2:8080
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
`

test('the trace attachment says what was traced, why, where, and the destinations with their chances', () => {
  const req = {
    from: 'pod client',
    host: 'web',
    port: 80,
    proto: 'tcp' as const,
    why: 'failed: curl exit 28',
  }
  const r = {
    src: '10.244.1.5',
    dst: '10.96.0.12',
    port: 80,
    proto: 'tcp' as const,
    node: 'lab-worker',
    entered: 'the node of pod client',
  }
  const text = traceReport(req, r, LIVE, ['172.18.0.3'])
  assert.match(
    text,
    /^The TCP request from pod client \(10\.244\.1\.5\) to web \(10\.96\.0\.12\):80, followed through the live iptables-save of lab-worker/,
  )
  assert.match(text, /Traced because: failed: curl exit 28/)
  assert.match(text, /destinations: 10\.244\.1\.2:8080 50%, 10\.244\.2\.2:8080 50%/)
  assert.equal(traceName(r), 'proxy trace: 10.244.1.5 → 10.96.0.12:80 on lab-worker.txt')
  assert.match(
    traceReport(req, r, '*nat\nCOMMIT\n', []),
    /could not follow the packet through lab-worker's rules: /,
  )
  assert.match(
    traceReport(req, r, '', []),
    /lab-worker has no nat table at all: nothing on it redirects the packet/,
  )
  const flushed = LIVE.replace(/^-A .*\n/gm, '')
  assert.match(traceReport(req, r, flushed, []), /the nat PREROUTING chain of lab-worker has no rule at all/)
  assert.match(traceReport(req, r, flushed, []), /destinations: ACCEPT 100%/)
})
