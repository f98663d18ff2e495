// Exec into a lab pod from any process (the harness runs apart from the lab daemon): pid file + /proc environ + pod netns.
import { readFile } from 'node:fs/promises'
import type { V1Pod } from '@kubernetes/client-node'
import type { KubeObject } from '../control-plane/apiserver/store.ts'
import { podNetnsName } from '../network/pod-network.ts'
import type { LabTopology } from '../network/topology.ts'
import { podExecArgv } from './pod-exec.ts'
import { containerLogPath, containerPidPath } from './pod-logs.ts'

// Parses /proc/<pid>/environ (NUL-separated K=V).
export function parseEnviron(raw: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const pair of raw.split('\0')) {
    const eq = pair.indexOf('=')
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return env
}

// The argv that runs argv inside a running lab pod's container (its netns, hostname and environment).
export async function podExecCommand(
  topology: LabTopology,
  logDir: string,
  pod: KubeObject,
  argv: readonly string[],
  container?: string,
): Promise<string[]> {
  const p = pod as unknown as V1Pod
  const ns = p.metadata?.namespace ?? 'default'
  const name = p.metadata?.name ?? ''
  const uid = p.metadata?.uid ?? ''
  const cname = container ?? p.spec?.containers?.[0]?.name ?? ''
  const pidFile = containerPidPath(containerLogPath(logDir, ns, name, uid, cname))
  let pid: number
  let environ: string
  try {
    pid = Number((await readFile(pidFile, 'utf8')).trim())
    environ = await readFile(`/proc/${pid}/environ`, 'utf8')
  } catch (err) {
    throw new Error(
      `exec into pod ${ns}/${name} container ${cname}: it is not running (${(err as Error).message})`,
      {
        cause: err,
      },
    )
  }
  const node = topology.nodes.find((n) => n.name === p.spec?.nodeName)
  if (!node)
    throw new Error(
      `exec into pod ${ns}/${name}: node ${p.spec?.nodeName ?? '(none)'} is not in lab ${topology.cluster}`,
    )
  const netns = p.spec?.hostNetwork ? node.netns : podNetnsName(topology, uid)
  return podExecArgv(netns, pid, parseEnviron(environ), argv)
}
