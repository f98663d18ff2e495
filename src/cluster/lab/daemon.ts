// The lab daemon (`svcnet lab serve`): API server, controllers and kubelet of one lab, in the host namespace.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { MemoryStore } from './control-plane/apiserver/memory-store.ts'
import { startApiServer } from './control-plane/apiserver/server.ts'
import {
  KUBERNETES_SERVICE_NAMES,
  makeServingCerts,
  writePrivateFile,
} from './control-plane/apiserver/serving-certs.ts'
import { firstServiceIP } from './control-plane/controllers/bootstrap.ts'
import { startControllers } from './control-plane/controllers/index.ts'
import { start } from '../../exec/run.ts'
import { renderKubeconfig } from '../../kube/kubeconfig-render.ts'
import { CLI_ENTRY, LEAN_NODE_FLAGS } from '../../paths.ts'
import { LabKubelet } from './kubelet/index.ts'
import { labPodStreams } from './kubelet/pod-streams.ts'
import type { LabTopology } from './network/topology.ts'
import { RUN_FILES } from './names.ts'
import { LEAN_NODE_ENV } from './lean-node-env.ts'

// Runs the daemon until SIGTERM/SIGINT; the kubeconfig file appears once the API server listens.
export async function runLabDaemon(topology: LabTopology): Promise<void> {
  const log = (msg: string) => process.stderr.write(`svcnet-lab ${new Date().toISOString()} ${msg}\n`)
  log(`started (node up ${(performance.now() / 1000).toFixed(2)}s, ${cpuSeconds()} CPU-s)`)
  const store = new MemoryStore({ serviceCIDR: topology.serviceCIDR })
  // Only root reads the run directory: it holds the tokens, the CA key and the kubeconfig.
  await chmod(topology.runDir, 0o700)
  const cp = topology.nodes.find((n) => n.role === 'control-plane')!
  const certs = await makeServingCerts({
    dir: topology.runDir,
    ips: ['127.0.0.1', cp.ip, firstServiceIP(topology.serviceCIDR)],
    dnsNames: [...KUBERNETES_SERVICE_NAMES, cp.name],
  })
  log(`serving certificate made (${cpuSeconds()} CPU-s)`)
  const adminToken = randomBytes(32).toString('base64url')
  const podToken = randomBytes(32).toString('base64url')
  const socket = join(topology.runDir, RUN_FILES.socket)
  const podLogs = join(topology.runDir, RUN_FILES.podLogs)
  await mkdir(podLogs, { recursive: true })
  const kubelet = new LabKubelet({
    store,
    topology,
    nodeBinary: process.execPath,
    cliEntry: CLI_ENTRY,
    logDir: podLogs,
    serviceAccount: { token: podToken, caCert: certs.caCert },
  })
  // The host port speaks TLS (kubectl sends tokens only over TLS); the unix socket, which pods reach through
  // the forwarder at the control-plane node's address, stays plain HTTP. Both need a token.
  const server = await startApiServer({
    tls: { key: certs.key, cert: certs.cert },
    tokens: new Map([
      [adminToken, 'svcnet:admin'],
      [podToken, 'system:serviceaccount:svcnet:pods'],
    ]),
    store,
    host: '127.0.0.1',
    port: 0,
    unixSocket: socket,
    podLogs: kubelet,
    podStreams: labPodStreams({ kubelet, store, logDir: podLogs, nodeBinary: process.execPath }),
  })
  log(`API server listening on ${server.url} and ${socket}`)
  const controllers = startControllers(store, {
    apiServer: topology.apiServer,
    serviceCIDR: topology.serviceCIDR,
    loadBalancerPool: topology.loadBalancer.pool,
  })
  await kubelet.start()
  const forwarder = start(
    process.execPath,
    [
      ...LEAN_NODE_FLAGS,
      CLI_ENTRY,
      'lab',
      'forward',
      '--listen',
      `0.0.0.0:${topology.apiServer.port}`,
      '--to',
      socket,
    ],
    { netns: cp.netns, logFile: join(topology.runDir, RUN_FILES.forwarderLog), env: { ...LEAN_NODE_ENV } },
  )
  // Written last and atomically: its presence tells `lab up` the daemon is serving.
  const kubeconfigPath = join(topology.runDir, RUN_FILES.kubeconfig)
  await writePrivateFile(
    `${kubeconfigPath}.tmp`,
    renderKubeconfig(topology.cluster, server.url, { token: adminToken, caCert: certs.caCert }),
  )
  await rename(`${kubeconfigPath}.tmp`, kubeconfigPath)
  log(`serving lab ${topology.cluster} (run ${topology.runId}; ${cpuSeconds()} CPU-s)`)

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve)
    process.once('SIGINT', resolve)
  })
  log('stopping')
  forwarder.kill()
  await kubelet.stop()
  controllers.stop()
  await server.close()
  log('stopped')
}

// This process's CPU time so far, in seconds (for the log's startup timings).
function cpuSeconds(): string {
  const u = process.cpuUsage()
  return ((u.user + u.system) / 1e6).toFixed(2)
}
