// Benchmark: a Service created through the lab API server → its rules in every node's nat table (svcnet kube-proxy).
// Usage (root): node bench/lab-programming/main.ts [--services 100]
import { CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node'
import { withKubeConfig } from '../../src/cluster/lab/lab-cluster.ts'
import { labUp } from '../../src/cluster/lab/lab-up.ts'
import { destroyLab } from '../../src/cluster/lab/teardown.ts'
import { run } from '../../src/exec/run.ts'
import { runCommand, type CommandSpec, type ParsedCommand } from '../../src/flags/command.ts'
import { waitFor } from '../../src/wait/wait-for.ts'
import { summarise } from '../stats.ts'

const SPEC: CommandSpec = {
  name: 'node bench/lab-programming/main.ts',
  summary:
    "Creates Services one after another on a fresh lab and times each until every node's nat table carries it.",
  flags: { services: { type: 'number', description: 'Services to create, one at a time', default: 100 } },
}

// Creates the Services one by one and prints the latency percentiles; the lab is removed afterwards.
async function bench(flags: ParsedCommand['flags']): Promise<number> {
  const cluster = `prog${process.pid.toString(36)}`
  const lab = await withKubeConfig(await labUp({ cluster }))
  try {
    const core = lab.kubeConfig.makeApiClient(CoreV1Api)
    const discovery = lab.kubeConfig.makeApiClient(DiscoveryV1Api)
    const nodes = lab.topology.nodes
    const latencies: number[] = []
    for (let i = 0; i < (flags.services as number); i++) {
      const name = `bench-${i}`
      const t0 = performance.now()
      await core.createNamespacedService({
        namespace: 'default',
        body: { metadata: { name }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } },
      })
      await discovery.createNamespacedEndpointSlice({
        namespace: 'default',
        body: {
          metadata: { name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
          addressType: 'IPv4',
          endpoints: [{ addresses: [`10.244.1.${(i % 200) + 20}`], conditions: { ready: true } }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      })
      // The cluster-IP capture rule names the Service port: `default/bench-N:http cluster IP`.
      const marker = `"default/${name}:http cluster IP"`
      await waitFor({
        what: `${name}'s rules on ${nodes.length} nodes`,
        timeoutMs: 30_000,
        intervalMs: 10,
        check: async () => {
          const saves = await Promise.all(
            nodes.map((n) => run('iptables-save', ['-t', 'nat'], { netns: n.netns })),
          )
          const missing = nodes.filter((_, j) => !saves[j]!.stdout.includes(marker)).map((n) => n.name)
          return missing.length === 0
            ? { done: true, value: undefined }
            : { done: false, seen: `missing on ${missing.join(', ')}` }
        },
      })
      latencies.push(performance.now() - t0)
    }
    const s = summarise(latencies)
    process.stdout.write(
      `Service created → rules on all ${nodes.length} nodes (${s.n} Services, polled every 10 ms): ` +
        `p50 ${s.p50.toFixed(0)} ms, p90 ${s.p90.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms\n`,
    )
    return 0
  } finally {
    await destroyLab(cluster)
  }
}

// The command line (--help, usage errors with exit 2), then the bench.
function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, ({ flags }) => bench(flags))
}

process.exitCode = await main(process.argv.slice(2))
