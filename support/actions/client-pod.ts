// The scenario's client pod (curl and friends, kept running) and requests made from inside it through the exec API.
import type { V1Pod } from '@kubernetes/client-node'
import { waitFor } from '../../src/wait/wait-for.ts'
import { curlBatchArgv, parseCurlBatch, type HttpProbe } from '../checks/http-probe.ts'
import type { SvcWorld } from '../world.ts'
import { execInPod, type PodExecResult } from './pod-exec.ts'
import { describePod } from './workloads.ts'
import { parseEnv } from '../parse/environment.ts'

/** How to make the client pod. */
export interface ClientPodOptions {
  /** Pin it to this node (a name the World resolves, e.g. "worker"). */
  node?: string
  /** @default true, as in Kubernetes */
  enableServiceLinks?: boolean
}

/** The client pod's name in every scenario. */
export const CLIENT_POD = 'client'

// Creates the client pod (image curlimages/curl, sleeping) and waits until it runs and is ready.
export async function createClientPod(w: SvcWorld, opts: ClientPodOptions = {}): Promise<V1Pod> {
  const nodeName = opts.node === undefined ? undefined : w.node(opts.node).name
  await w.core.createNamespacedPod({
    namespace: w.namespace,
    body: {
      metadata: { name: CLIENT_POD, labels: { role: 'client' } },
      spec: {
        ...(nodeName ? { nodeName } : {}),
        enableServiceLinks: opts.enableServiceLinks ?? true,
        containers: [{ name: 'curl', image: 'curlimages/curl', command: ['sleep', 'infinity'] }],
      },
    },
  })
  return waitFor({
    what: `client pod ${w.namespace}/${CLIENT_POD} to run and be ready`,
    timeoutMs: 60_000,
    check: async () => {
      const p = await w.core.readNamespacedPod({ name: CLIENT_POD, namespace: w.namespace })
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
      if (p.status?.phase === 'Running' && ready) return { done: true, value: p }
      return { done: false, seen: describePod(p) }
    },
  })
}

// Runs a command in one of the scenario's pods (its first container) through the exec API.
export async function execIn(
  w: SvcWorld,
  pod: string,
  argv: string[],
  timeoutMs?: number,
  namespace = w.namespace,
): Promise<PodExecResult> {
  const p = await w.core.readNamespacedPod({ name: pod, namespace })
  const container = p.spec?.containers[0]?.name
  if (!container) throw new Error(`pod ${namespace}/${pod} has no containers`)
  return execInPod(w.cluster.kubeConfig, namespace, pod, container, argv, timeoutMs)
}

// Makes HTTP requests from inside a pod with real curl, one connection each, and records every outcome.
export async function requestsFromPod(w: SvcWorld, pod: string, urls: string[]): Promise<HttpProbe[]> {
  const r = await execIn(w, pod, curlBatchArgv(urls), 10_000 + urls.length * 3_000)
  const probes = parseCurlBatch(urls, r.stdout)
  for (const p of probes) w.recordProbe(`pod ${pod}`, p)
  return probes
}

// The environment of a pod's container, as `env` run through the exec API prints it.
export async function podEnvironment(w: SvcWorld, pod: string): Promise<Map<string, string>> {
  const r = await execIn(w, pod, ['env'])
  if (r.exitCode !== 0) throw new Error(`env in pod ${pod} exited ${r.exitCode}: ${r.stderr}`)
  return parseEnv(r.stdout)
}
