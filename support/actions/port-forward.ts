// `kubectl port-forward svc/NAME LOCAL:REMOTE` against the cluster, as a user runs it, and requests to it on loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, start } from '../../src/exec/run.ts'
import { curlArgv, parseCurl, type HttpProbe } from '../checks/http-probe.ts'
import type { SvcWorld } from '../world.ts'

// Starts kubectl port-forward for the named service in the scenario's namespace; it is stopped after the scenario.
export function startPortForward(w: SvcWorld, service: string, localPort: number, remotePort: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-port-forward-'))
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, w.cluster.kubeConfig.exportConfig(), { mode: 0o600 })
  const log = join(dir, 'kubectl.log')
  const proc = start(
    'kubectl',
    [
      '--kubeconfig',
      kubeconfig,
      '-n',
      w.namespace,
      'port-forward',
      '--address',
      '127.0.0.1',
      `svc/${service}`,
      `${localPort}:${remotePort}`,
    ],
    { logFile: log },
  )
  w.onCleanup(`stop kubectl port-forward svc/${service} (pid ${proc.pid})`, async () => {
    proc.kill()
    await proc.exited
    rmSync(dir, { recursive: true, force: true })
  })
}

// One request to 127.0.0.1:port from this machine (the port-forward's local end), recorded with the others.
export async function requestLoopback(w: SvcWorld, port: number, path = '/'): Promise<HttpProbe> {
  const url = `http://127.0.0.1:${port}${path}`
  const argv = curlArgv(url)
  const probe = parseCurl(url, await run(argv[0]!, argv.slice(1), { allowFailure: true, timeoutMs: 10_000 }))
  w.recordProbe('this machine (loopback)', probe)
  return probe
}
