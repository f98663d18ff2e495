// A cucumber worker's view of the run's one cluster: API clients from the handle's kubeconfig, commands outside the
// cluster and on its nodes sent to the orchestrator that started it (support/run/cluster-server.ts).
import { Agent, request } from 'node:http'
import type { Cluster } from '../../src/cluster/provider.ts'
import type { RunResult } from '../../src/exec/run.ts'
import { RunError } from '../../src/exec/run-error.ts'
import { kubeConfigFrom } from '../../src/kube/kubeconfig.ts'
import type { ClusterHandle } from './cluster-handle.ts'
import type { RunReply, RunRequest } from './cluster-server.ts'

// The cluster of a handle; destroy() only lets go of the socket (the orchestrator removes the cluster).
export function attachCluster(h: ClusterHandle): Cluster {
  const agent = new Agent({ keepAlive: true })
  const send = (r: RunRequest) => runRemote(h.socket, agent, r)
  return {
    provider: h.provider,
    name: h.name,
    kubeConfig: kubeConfigFrom(h.kubeconfig),
    nodes: h.nodes,
    capabilities: new Set(h.capabilities),
    runOutside: (argv, timeoutMs) => send({ on: 'outside', argv, ...(timeoutMs ? { timeoutMs } : {}) }),
    runOnNode: (node, argv, timeoutMs) =>
      send({ on: 'node', node, argv, ...(timeoutMs ? { timeoutMs } : {}) }),
    destroy: async () => agent.destroy(),
  }
}

// Sends one command to the orchestrator and returns its result, or throws the error it threw there.
async function runRemote(socket: string, agent: Agent, r: RunRequest): Promise<RunResult> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = request({ socketPath: socket, agent, method: 'POST', path: '/run' }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      res.on('error', reject)
    })
    req.on('error', (err) =>
      reject(
        new Error(
          `asking the run's orchestrator (${socket}) to run ${r.argv.join(' ')} ${r.on === 'node' ? `on node ${r.node}` : 'outside the cluster'}: ${err.message}`,
          { cause: err },
        ),
      ),
    )
    req.end(JSON.stringify(r))
  })
  const reply = JSON.parse(text) as RunReply
  if ('result' in reply) return reply.result
  const { name, message, run } = reply.error
  const err = run ? new RunError(run) : new Error(message)
  err.message = message
  err.name = name
  throw err
}
