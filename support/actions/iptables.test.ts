// Reading kube-proxy's rules: matching a rule by its flags and listing a KUBE-SVC chain's endpoint jumps.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { endpointJumps, leftoverRules, ruleMatches } from './iptables.ts'

const nodePortRule =
  '-A KUBE-NODEPORTS -m comment --comment "ns/hello-world" -m tcp -p tcp --dport 32233 -j KUBE-EXT-ABCDEFGHIJKLMNOP'

test('a rule matches when each flag is followed by the wanted value', () => {
  assert.ok(ruleMatches(nodePortRule, { '-p': 'tcp', '--dport': '32233', '-j': 'KUBE-EXT-ABCDEFGHIJKLMNOP' }))
})

test('a different port, protocol or target does not match', () => {
  assert.ok(!ruleMatches(nodePortRule, { '-p': 'tcp', '--dport': '32234' }))
  assert.ok(!ruleMatches(nodePortRule, { '-p': 'udp', '--dport': '32233' }))
  assert.ok(!ruleMatches(nodePortRule, { '-j': 'KUBE-SVC-ABCDEFGHIJKLMNOP' }))
  assert.ok(!ruleMatches(nodePortRule, { '--to-destination': '10.244.1.2:8080' }))
})

test('endpoint jumps keep their order and probabilities; the last has none', () => {
  const rules = [
    '-A KUBE-SVC-X -m comment --comment "ns/web -> 10.244.1.2:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-A',
    '-A KUBE-SVC-X -m comment --comment "ns/web -> 10.244.2.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-B',
    '-A KUBE-SVC-X -m comment --comment "ns/web -> 10.244.2.3:80" -j KUBE-SEP-C',
    '-A KUBE-SVC-X ! -s 10.244.0.0/16 -d 10.96.0.12/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ',
  ]
  assert.deepEqual(endpointJumps(rules), [
    { target: 'KUBE-SEP-A', probability: 0.3333333333 },
    { target: 'KUBE-SEP-B', probability: 0.5 },
    { target: 'KUBE-SEP-C', probability: undefined },
  ])
})

test('leftover rules: the chains of a deleted service and rules that comment on it', () => {
  const dump = [
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-SVC-AAAA - [0:0]',
    ':KUBE-SVC-OTHER - [0:0]',
    '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "ns/web cluster IP" -j KUBE-SVC-AAAA',
    '-A KUBE-SERVICES -d 10.96.0.21/32 -p tcp -m comment --comment "ns/webber cluster IP" -j KUBE-SVC-OTHER',
    '-A KUBE-SEP-BBBB -m comment --comment "ns/web:http" -j DNAT --to-destination 10.244.1.2:8080',
    'COMMIT',
  ].join('\n')
  assert.deepEqual(leftoverRules(dump, 'ns/web', ['KUBE-SVC-AAAA']), [
    ':KUBE-SVC-AAAA - [0:0]',
    '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "ns/web cluster IP" -j KUBE-SVC-AAAA',
    '-A KUBE-SEP-BBBB -m comment --comment "ns/web:http" -j DNAT --to-destination 10.244.1.2:8080',
  ])
  assert.deepEqual(leftoverRules(dump, 'ns/gone', ['KUBE-SVC-GONE']), [])
})
