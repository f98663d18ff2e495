import { test } from 'node:test'
import assert from 'node:assert/strict'
import { planLab } from './plan.ts'
import { bridgeMac, formatActions, planActions } from './actions.ts'

const t = planLab({ cluster: 'kind', workers: 2 }, 'ab12cd')
const P = 'svcnet-kind-ab12cd-'
const SW = `${P}switch`

// The steps of one node, as planActions must produce them.
function node(
  suffix: string,
  port: string,
  ip: string,
  n: number,
  others: Array<[string, string]>,
): string[][][] {
  const ns = P + suffix
  return [
    [
      ['ip', 'netns', 'add', ns],
      ['ip', '-n', ns, 'link', 'set', 'lo', 'up'],
    ],
    [
      [
        'ip',
        'netns',
        'exec',
        ns,
        'sysctl',
        '-q',
        '-w',
        'net.ipv4.ip_forward=1',
        'net.ipv4.conf.all.route_localnet=1',
        'net.ipv4.conf.all.rp_filter=0',
        'net.ipv4.conf.default.rp_filter=0',
      ],
    ],
    [['ip', 'netns', 'exec', ns, 'iptables', '-w', '5', '-t', 'mangle', '-N', 'KUBE-IPTABLES-HINT']],
    [
      ['ip', 'link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', SW],
      ['ip', '-n', SW, 'link', 'set', port, 'master', 'svcnet-br0'],
      ['ip', '-n', SW, 'link', 'set', port, 'up'],
      ['ip', '-n', ns, 'addr', 'add', `${ip}/16`, 'dev', 'eth0'],
      ['ip', '-n', ns, 'link', 'set', 'eth0', 'up'],
    ],
    [
      ['ip', '-n', ns, 'link', 'add', 'cni0', 'address', `02:00:0a:f4:0${n}:01`, 'type', 'bridge'],
      ['ip', '-n', ns, 'addr', 'add', `10.244.${n}.1/24`, 'dev', 'cni0'],
      ['ip', '-n', ns, 'link', 'set', 'cni0', 'up'],
    ],
    [
      ...others.map(([cidr, via]) => ['ip', '-n', ns, 'route', 'add', cidr, 'via', via, 'dev', 'eth0']),
      ['ip', '-n', ns, 'route', 'add', '10.96.0.0/16', 'dev', 'eth0'],
    ],
  ]
}

test('planActions gives the exact argv for a 2-worker lab', () => {
  const expected: string[][][] = [
    [
      ['ip', 'netns', 'add', SW],
      ['ip', '-n', SW, 'link', 'set', 'lo', 'up'],
    ],
    [
      ['ip', '-n', SW, 'link', 'add', 'svcnet-br0', 'type', 'bridge'],
      ['ip', '-n', SW, 'link', 'set', 'svcnet-br0', 'up'],
    ],
    ...node('control-plane', 'svcnet-cp', '172.18.0.2', 0, [
      ['10.244.1.0/24', '172.18.0.3'],
      ['10.244.2.0/24', '172.18.0.4'],
    ]),
    ...node('worker', 'svcnet-w1', '172.18.0.3', 1, [
      ['10.244.0.0/24', '172.18.0.2'],
      ['10.244.2.0/24', '172.18.0.4'],
    ]),
    ...node('worker2', 'svcnet-w2', '172.18.0.4', 2, [
      ['10.244.0.0/24', '172.18.0.2'],
      ['10.244.1.0/24', '172.18.0.3'],
    ]),
    [
      ['ip', 'netns', 'add', `${P}outside`],
      ['ip', '-n', `${P}outside`, 'link', 'set', 'lo', 'up'],
    ],
    [
      [
        'ip',
        'link',
        'add',
        'eth0',
        'netns',
        `${P}outside`,
        'type',
        'veth',
        'peer',
        'name',
        'svcnet-out',
        'netns',
        SW,
      ],
      ['ip', '-n', SW, 'link', 'set', 'svcnet-out', 'master', 'svcnet-br0'],
      ['ip', '-n', SW, 'link', 'set', 'svcnet-out', 'up'],
      ['ip', '-n', `${P}outside`, 'addr', 'add', '172.18.0.100/16', 'dev', 'eth0'],
      ['ip', '-n', `${P}outside`, 'link', 'set', 'eth0', 'up'],
    ],
    [['ip', '-n', `${P}outside`, 'route', 'add', '172.18.255.192/26', 'via', '172.18.0.3', 'dev', 'eth0']],
  ]
  assert.deepEqual(
    planActions(t).map((a) => a.commands),
    expected,
  )
})

test('every namespace is created by exactly one action that says so, before anything uses it', () => {
  const actions = planActions(t)
  const creates = actions.flatMap((a) => a.creates)
  assert.deepEqual(
    creates.sort(),
    [SW, `${P}control-plane`, `${P}outside`, `${P}worker`, `${P}worker2`].sort(),
  )
  const seen = new Set<string>()
  for (const a of actions) {
    for (const argv of a.commands) {
      if (argv[1] === 'netns' && argv[2] === 'add') seen.add(argv[3]!)
      for (const [i, arg] of argv.entries()) {
        if (
          (argv[i - 1] === '-n' || argv[i - 1] === 'netns') &&
          arg.startsWith(P) &&
          argv[i - 2] !== 'netns'
        ) {
          assert.ok(seen.has(arg), `"${a.description}" uses ${arg} before it is created`)
        }
      }
    }
  }
})

test('the outside client gets one route (LoadBalancer IPs via a worker) and no kernel changes; nothing touches the host namespace', () => {
  const actions = planActions(t)
  const outsideRoutes = actions
    .flatMap((a) => a.commands)
    .filter((c) => c.includes(`${P}outside`) && (c.includes('route') || c.includes('sysctl')))
  assert.deepEqual(outsideRoutes, [
    ['ip', '-n', `${P}outside`, 'route', 'add', '172.18.255.192/26', 'via', t.nodes[1]!.ip, 'dev', 'eth0'],
  ])
  for (const argv of actions.flatMap((a) => a.commands)) {
    const namespaced = argv[1] === '-n' || argv[1] === 'netns' || argv.includes('netns')
    assert.ok(namespaced, `runs in the host namespace: ${argv.join(' ')}`)
    // `ip link add` must name a target namespace for both veth ends.
    if (argv[1] === 'link' && argv[2] === 'add')
      assert.equal(argv.filter((a) => a === 'netns').length, 2, argv.join(' '))
  }
})

test('formatActions prints numbered, shell-quoted steps', () => {
  const text = formatActions(planActions(t))
  assert.match(
    text,
    /^1\. create switch namespace svcnet-kind-ab12cd-switch\n {3}ip netns add svcnet-kind-ab12cd-switch$/m,
  )
  assert.match(text, /ip -n svcnet-kind-ab12cd-worker route add 10\.244\.2\.0\/24 via 172\.18\.0\.4 dev eth0/)
})

test('helpers: fixed bridge MACs', () => {
  assert.equal(bridgeMac('10.244.12.1'), '02:00:0a:f4:0c:01')
})
