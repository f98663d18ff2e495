// The ordered steps that build a planned lab's network, with the exact argv each runs (pure, printable).
import type { LabNode, LabTopology } from './topology.ts'
import { switchPortName } from '../names.ts'
import { shellQuote } from '../../../exec/run-error.ts'
import { mustParseCidr4 } from '../../../kube/ip.ts'

/** One step of building the lab: what it does, the commands it runs, the namespaces it creates. */
export interface Action {
  description: string
  /** argv lists, run in order; each must exit 0. */
  commands: string[][]
  /** Namespaces this step creates (deleted again when a later step fails). */
  creates: string[]
}

// The prefix length of a CIDR ("172.18.0.0/16" → 16); throws naming the text when it is not IPv4 CIDR.
const prefixLength = (cidr: string): number => mustParseCidr4(cidr).prefix

// A fixed, locally administered MAC for a bridge with this address, so it never changes as ports come and go.
export function bridgeMac(ip: string): string {
  const hex = ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))
  return `02:00:${hex.join(':')}`
}

// The suffix of a namespace within its lab (`svcnet-c-abcd-worker2` → `worker2`).
function suffixOf(topology: LabTopology, netns: string): string {
  return netns.slice(topology.prefix.length)
}

// Steps that join a namespace to the lab bridge with an address on the lab network.
function joinLabNetwork(t: LabTopology, netns: string, uplink: string, ip: string, who: string): Action {
  const port = switchPortName(suffixOf(t, netns))
  const sw = t.switchNetns
  return {
    description: `connect ${who} to the lab bridge (${uplink} ${ip}/${prefixLength(t.labSubnet)} ↔ ${port})`,
    commands: [
      ['ip', 'link', 'add', uplink, 'netns', netns, 'type', 'veth', 'peer', 'name', port, 'netns', sw],
      ['ip', '-n', sw, 'link', 'set', port, 'master', t.labBridge],
      ['ip', '-n', sw, 'link', 'set', port, 'up'],
      ['ip', '-n', netns, 'addr', 'add', `${ip}/${prefixLength(t.labSubnet)}`, 'dev', uplink],
      ['ip', '-n', netns, 'link', 'set', uplink, 'up'],
    ],
    creates: [],
  }
}

// Steps that build one node: namespace, kernel settings, uplink, pod bridge, routes to the other nodes' pods.
function nodeActions(t: LabTopology, node: LabNode): Action[] {
  const ns = node.netns
  const routes = t.nodes
    .filter((other) => other !== node)
    .map((other) => ['ip', '-n', ns, 'route', 'add', other.podCIDR, 'via', other.ip, 'dev', node.uplink])
  return [
    {
      description: `create namespace ${ns} for node ${node.name}`,
      commands: [
        ['ip', 'netns', 'add', ns],
        ['ip', '-n', ns, 'link', 'set', 'lo', 'up'],
      ],
      creates: [ns],
    },
    {
      description: `set kernel parameters of node ${node.name} (forwarding, route_localnet, no rp_filter)`,
      commands: [
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
      creates: [],
    },
    {
      // The kubelet creates this empty chain so that iptables wrappers (kube-proxy's backend detection) see which
      // iptables mode the node uses without counting rules.
      description: `mark node ${node.name}'s iptables mode for kube-proxy (KUBE-IPTABLES-HINT in mangle, as the kubelet does)`,
      commands: [
        ['ip', 'netns', 'exec', ns, 'iptables', '-w', '5', '-t', 'mangle', '-N', 'KUBE-IPTABLES-HINT'],
      ],
      creates: [],
    },
    joinLabNetwork(t, ns, node.uplink, node.ip, `node ${node.name}`),
    {
      description: `create pod bridge ${node.podBridge} ${node.podGateway}/${prefixLength(node.podCIDR)} on node ${node.name}`,
      commands: [
        [
          'ip',
          '-n',
          ns,
          'link',
          'add',
          node.podBridge,
          'address',
          bridgeMac(node.podGateway),
          'type',
          'bridge',
        ],
        [
          'ip',
          '-n',
          ns,
          'addr',
          'add',
          `${node.podGateway}/${prefixLength(node.podCIDR)}`,
          'dev',
          node.podBridge,
        ],
        ['ip', '-n', ns, 'link', 'set', node.podBridge, 'up'],
      ],
      creates: [],
    },
    {
      description: `route other nodes' pod CIDRs and the service CIDR ${t.serviceCIDR} from node ${node.name}`,
      commands: [...routes, ['ip', '-n', ns, 'route', 'add', t.serviceCIDR, 'dev', node.uplink]],
      creates: [],
    },
  ]
}

// Plans every step that builds the lab network, in order: switch, nodes, outside client (with its route to
// LoadBalancer IPs).
export function planActions(t: LabTopology): Action[] {
  const sw = t.switchNetns
  const actions: Action[] = [
    {
      description: `create switch namespace ${sw}`,
      commands: [
        ['ip', 'netns', 'add', sw],
        ['ip', '-n', sw, 'link', 'set', 'lo', 'up'],
      ],
      creates: [sw],
    },
    {
      description: `create lab bridge ${t.labBridge} in ${sw}`,
      commands: [
        ['ip', '-n', sw, 'link', 'add', t.labBridge, 'type', 'bridge'],
        ['ip', '-n', sw, 'link', 'set', t.labBridge, 'up'],
      ],
      creates: [],
    },
  ]
  for (const node of t.nodes) actions.push(...nodeActions(t, node))
  const out = t.outside
  actions.push(
    {
      description: `create namespace ${out.netns} for the outside client`,
      commands: [
        ['ip', 'netns', 'add', out.netns],
        ['ip', '-n', out.netns, 'link', 'set', 'lo', 'up'],
      ],
      creates: [out.netns],
    },
    joinLabNetwork(t, out.netns, out.uplink, out.ip, 'the outside client'),
    {
      description: `route LoadBalancer IPs ${t.loadBalancer.pool} from the outside client via ${t.loadBalancer.via}`,
      commands: [
        [
          'ip',
          '-n',
          out.netns,
          'route',
          'add',
          t.loadBalancer.route,
          'via',
          t.loadBalancer.via,
          'dev',
          out.uplink,
        ],
      ],
      creates: [],
    },
  )
  return actions
}

// Renders actions as text: a numbered description per step, then its commands shell-quoted (for --dry-run).
export function formatActions(actions: readonly Action[]): string {
  return actions
    .map((a, i) => [`${i + 1}. ${a.description}`, ...a.commands.map((c) => `   ${shellQuote(c)}`)].join('\n'))
    .join('\n')
}
