// Turns one container of a pod spec into a runner (env built, image mapped) or a blocked record saying why it cannot run.
import type { V1Container, V1Pod } from '@kubernetes/client-node'
import { ContainerConfigError, containerEnv, expandCommand } from './container-env.ts'
import { ContainerRunner, type BackoffSettings } from './container-runner.ts'
import { resolveLaunch, type LaunchContext } from './image-map.ts'
import { LEAN_NODE_ENV } from '../lean-node-env.ts'
import { containerLogPath } from './pod-logs.ts'
import { waitingRecord } from './pod-status.ts'
import type { BlockedContainer, PodWorker } from './pod-worker.ts'

/** What building a container needs besides the spec. */
export interface MakeContainerInput {
  pod: V1Pod
  container: V1Container
  worker: PodWorker
  serviceEnv: readonly [string, string][]
  hostname: string
  configMap: (namespace: string, name: string) => Record<string, string> | undefined
  launch: LaunchContext
  logDir: string
  backoff: BackoffSettings
  /** The pod's ServiceAccount files, mounted at the standard path (none when the pod opts out). */
  serviceAccountDir?: string
  onChange: () => void
  event: (type: 'Normal' | 'Warning', reason: string, message: string) => void
}

// Builds the container's runner (not started), or a blocked record (CreateContainerConfigError, ErrImagePull…) plus its events.
export function makeContainer(i: MakeContainerInput): ContainerRunner | BlockedContainer {
  const { pod, container: c, worker: w } = i
  let env: Record<string, string>
  try {
    env = containerEnv({
      pod,
      container: c,
      serviceEnv: i.serviceEnv,
      hostname: i.hostname,
      podIP: w.ip!,
      hostIP: w.node.ip,
      configMap: i.configMap,
    })
  } catch (err) {
    if (!(err instanceof ContainerConfigError)) throw err
    i.event('Warning', 'Failed', `Error: ${err.message}`)
    return { record: waitingRecord(c, err.reason, err.message) }
  }
  const launch = resolveLaunch(
    c.image ?? '',
    expandCommand(c.command, env),
    expandCommand(c.args, env),
    env,
    i.launch,
  )
  if ('reason' in launch) {
    i.event('Warning', 'Failed', launch.message)
    i.event('Warning', 'Failed', `Error: ${launch.reason}`)
    return { record: waitingRecord(c, launch.reason, launch.message) }
  }
  i.event('Normal', 'Pulled', `Container image "${c.image ?? ''}" already present on machine`)
  i.event('Normal', 'Created', `Created container: ${c.name}`)
  return new ContainerRunner({
    name: c.name,
    image: c.image ?? '',
    argv: launch.argv,
    env,
    // svcnet's own Node processes start with the compile cache (as an image's ENV would set it).
    ...(launch.argv[0] === i.launch.nodeBinary ? { imageEnv: LEAN_NODE_ENV } : {}),
    netns: w.netns!,
    podIP: w.ip!,
    hostname: i.hostname,
    logPath: containerLogPath(i.logDir, w.namespace, w.name, w.uid, c.name),
    restartPolicy: (pod.spec?.restartPolicy as 'Always' | 'OnFailure' | 'Never' | undefined) ?? 'Always',
    listenPorts: launch.ports,
    containerPorts: c.ports ?? [],
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
    ...(c.lifecycle?.preStop?.sleep ? { preStopSleepSeconds: c.lifecycle.preStop.sleep.seconds } : {}),
    ...(c.livenessProbe ? { livenessProbe: c.livenessProbe } : {}),
    backoff: i.backoff,
    ...(i.serviceAccountDir ? { serviceAccountDir: i.serviceAccountDir } : {}),
    ...(c.stdin ? { stdin: true, stdinOnce: c.stdinOnce === true } : {}),
    onChange: i.onChange,
    onEvent: i.event,
  })
}
