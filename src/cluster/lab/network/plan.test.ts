import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LabConfigError, MAX_CLUSTER_NAME, newRunId, planLab, validateLabConfig } from './plan.ts'
import { parseLabNetns, switchPortName } from '../names.ts'
import { cidrContains, formatIPv4, mustParseCidr4, parseIPv4Range } from '../../../kube/ip.ts'

test('planLab names namespaces, nodes and the run dir kind-style', () => {
  const t = planLab({ cluster: 'kind', workers: 2 }, 'ab12cd')
  assert.equal(t.prefix, 'svcnet-kind-ab12cd-')
  assert.equal(t.switchNetns, 'svcnet-kind-ab12cd-switch')
  assert.deepEqual(
    t.nodes.map((n) => [n.name, n.role, n.netns]),
    [
      ['kind-control-plane', 'control-plane', 'svcnet-kind-ab12cd-control-plane'],
      ['kind-worker', 'worker', 'svcnet-kind-ab12cd-worker'],
      ['kind-worker2', 'worker', 'svcnet-kind-ab12cd-worker2'],
    ],
  )
  assert.equal(t.outside.netns, 'svcnet-kind-ab12cd-outside')
  assert.equal(t.runDir, '/run/svcnet/kind-ab12cd')
  assert.deepEqual(t.apiServer, { host: '172.18.0.2', port: 6443 })
  assert.equal(t.serviceCIDR, '10.96.0.0/16')
  assert.equal(t.clusterCIDR, '10.244.0.0/16')
})

test('planLab gives nodes .2 upwards, pod CIDRs 10.244.N.0/24 with gateway .1, outside off the node range', () => {
  const t = planLab({ cluster: 'c', workers: 20 }, 'beef')
  assert.equal(t.nodes.length, 21)
  t.nodes.forEach((n, i) => {
    assert.equal(n.ip, `172.18.0.${i + 2}`)
    assert.equal(n.podCIDR, `10.244.${i}.0/24`)
    assert.equal(n.podGateway, `10.244.${i}.1`)
    assert.ok(cidrContains(mustParseCidr4(t.labSubnet), n.ip))
    assert.ok(cidrContains(mustParseCidr4(t.clusterCIDR), n.podGateway))
    assert.ok(cidrContains(mustParseCidr4(n.podCIDR), n.podGateway))
    assert.equal(mustParseCidr4(n.podCIDR).prefix, 24)
  })
  const ips = [...t.nodes.map((n) => n.ip), t.outside.ip]
  assert.equal(new Set(ips).size, ips.length, 'every lab address is unique')
  assert.equal(new Set(t.nodes.map((n) => n.podCIDR)).size, t.nodes.length, 'pod CIDRs are unique')
  assert.ok(cidrContains(mustParseCidr4(t.labSubnet), t.outside.ip))
  assert.ok(
    !cidrContains(mustParseCidr4(t.clusterCIDR), t.outside.ip) &&
      !cidrContains(mustParseCidr4(t.serviceCIDR), t.outside.ip),
  )
})

test('the LoadBalancer pool sits on the lab network inside its route, clear of every other lab address', () => {
  for (const workers of [0, 2, 20]) {
    const t = planLab({ cluster: 'c', workers }, 'beef')
    const pool = parseIPv4Range(t.loadBalancer.pool)!
    const route = mustParseCidr4(t.loadBalancer.route)
    const lab = mustParseCidr4(t.labSubnet)
    for (const n of [pool.first, pool.last]) {
      assert.ok(cidrContains(route, formatIPv4(n)), `${formatIPv4(n)} in ${t.loadBalancer.route}`)
      assert.ok(cidrContains(lab, formatIPv4(n)))
    }
    for (const ip of [...t.nodes.map((n) => n.ip), t.outside.ip])
      assert.ok(!cidrContains(route, ip), `${ip} is not routed away as a LoadBalancer IP`)
    assert.equal(t.loadBalancer.via, (t.nodes[1] ?? t.nodes[0]!).ip, 'a worker, or the control plane alone')
  }
})

test('every interface name fits 15 characters and is unique where it lives', () => {
  const t = planLab({ cluster: 'a'.repeat(MAX_CLUSTER_NAME), workers: 20 }, 'abcdef')
  const switchPorts = [...t.nodes.map((n) => n.netns), t.outside.netns].map((ns) =>
    switchPortName(ns.slice(t.prefix.length)),
  )
  const all = [
    t.labBridge,
    ...switchPorts,
    ...t.nodes.flatMap((n) => [n.uplink, n.podBridge]),
    t.outside.uplink,
  ]
  for (const name of all)
    assert.ok(name.length <= 15 && name.length > 0, `${name} is ${name.length} characters`)
  assert.equal(
    new Set([t.labBridge, ...switchPorts]).size,
    switchPorts.length + 1,
    'switch namespace names unique',
  )
  assert.deepEqual(switchPorts.slice(0, 3), ['svcnet-cp', 'svcnet-w1', 'svcnet-w2'])
  assert.equal(switchPorts.at(-1), 'svcnet-out')
})

test('every namespace of a plan parses back to its cluster and run id', () => {
  for (const cluster of ['svcnet', 'a-b', 'x-1234', 'kind-abcd-pod']) {
    const t = planLab({ cluster, workers: 11 }, '1234')
    for (const ns of [t.switchNetns, t.outside.netns, ...t.nodes.map((n) => n.netns)]) {
      assert.deepEqual(
        { cluster: parseLabNetns(ns)?.cluster, runId: parseLabNetns(ns)?.runId },
        { cluster, runId: '1234' },
        ns,
      )
    }
  }
  assert.equal(parseLabNetns('svcnet-probe-123'), undefined)
  assert.equal(parseLabNetns('cni-1234-5678'), undefined)
  assert.equal(parseLabNetns('svcnet-kind-ABCD-switch'), undefined)
})

test('validateLabConfig reports every problem at once', () => {
  assert.deepEqual(validateLabConfig({ cluster: 'svcnet', workers: 2 }), [])
  assert.deepEqual(validateLabConfig({ cluster: 'svcnet', workers: 0, runId: 'abcd' }), [])
  const problems = validateLabConfig({ cluster: 'Bad_Name', workers: 21, runId: 'xyz' })
  assert.equal(problems.length, 3, problems.join('\n'))
  assert.match(problems[0]!, /cluster: must be a DNS label.*"Bad_Name"/)
  assert.match(problems[1]!, /workers: must be an integer from 0 to 20, got 21/)
  assert.match(problems[2]!, /runId: must be 4 to 6 lowercase hex characters, got "xyz"/)
  assert.match(
    validateLabConfig({ cluster: 'a'.repeat(41), workers: 1 })[0]!,
    /at most 40 characters .*, got 41/,
  )
  assert.equal(validateLabConfig({ cluster: '-a', workers: 1.5 }).length, 2)
  assert.equal(validateLabConfig({}).length, 2)
})

test('planLab throws LabConfigError listing the problems', () => {
  assert.throws(
    () => planLab({ cluster: 'ok', workers: -1 }, 'NOPE'),
    (err: unknown) =>
      err instanceof LabConfigError && err.problems.length === 2 && /workers/.test(err.message),
  )
})

test('newRunId is 6 lowercase hex characters and varies', () => {
  const ids = new Set(Array.from({ length: 20 }, () => newRunId()))
  for (const id of ids) assert.match(id, /^[0-9a-f]{6}$/)
  assert.ok(ids.size > 15)
})
