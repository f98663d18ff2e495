// Creating deployments and waiting for their pods, as the steps need.
import type { V1ContainerPort, V1Pod } from '@kubernetes/client-node'
import { waitFor } from '../../src/wait/wait-for.ts'
import type { SvcWorld } from '../world.ts'
import { selectorText } from '../../src/kube/label-selector.ts'

/** What a deployment's pods have beyond one image listening on one port. */
export interface DeploymentOptions {
  /** The container port's name (for a Service that targets it by name). */
  portName?: string
  /** The container's args. */
  args?: string[]
  /** A preStop sleep hook of that many seconds: a deleted pod keeps serving while it leaves the endpoints. */
  preStopSleepSeconds?: number
  /** Further container ports (e.g. netexec's UDP port). */
  morePorts?: V1ContainerPort[]
}

// Creates a Deployment of `replicas` pods of `image` with one container port, and waits until all are available.
export async function createDeployment(
  w: SvcWorld,
  name: string,
  replicas: number,
  image: string,
  port: number,
  opts: DeploymentOptions = {},
): Promise<void> {
  const { portName, args, preStopSleepSeconds, morePorts = [] } = opts
  const labels = { app: name }
  await w.apps.createNamespacedDeployment({
    namespace: w.namespace,
    body: {
      metadata: { name, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: containerName(image),
                image,
                ...(args ? { args } : {}),
                ...(preStopSleepSeconds
                  ? { lifecycle: { preStop: { sleep: { seconds: preStopSleepSeconds } } } }
                  : {}),
                ports: [
                  { containerPort: port, protocol: 'TCP', ...(portName ? { name: portName } : {}) },
                  ...morePorts,
                ],
              },
            ],
          },
        },
      },
    },
  })
  w.deployment = { name, replicas, port, labels }
  await waitFor({
    what: `deployment ${w.namespace}/${name} to have ${replicas} available replicas`,
    timeoutMs: 90_000,
    check: async () => {
      const d = await w.apps.readNamespacedDeployment({ name, namespace: w.namespace })
      const available = d.status?.availableReplicas ?? 0
      if (available === replicas) return { done: true, value: undefined }
      const pods = await deploymentPods(w)
      return {
        done: false,
        seen: `${available}/${replicas} available; pods: ${pods.map(describePod).join(', ') || 'none'}`,
      }
    },
  })
}

// The container name kubectl would derive from an image (`gcr.io/x/hello-app:1.0` → `hello-app`).
export function containerName(image: string): string {
  const last = image.split('/').pop() ?? image
  return last.split(/[:@]/)[0]!.replace(/[^a-z0-9-]/g, '-')
}

// The running pods of the scenario's deployment.
export async function deploymentPods(w: SvcWorld): Promise<V1Pod[]> {
  const selector = selectorText(w.requireDeployment().labels)
  const pods = (await w.core.listNamespacedPod({ namespace: w.namespace, labelSelector: selector })).items
  return pods.filter((p) => !p.metadata?.deletionTimestamp)
}

// `name (phase, ip, node, ready)` for a pod, in wait messages.
export function describePod(p: V1Pod): string {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '?'
  const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting
  return `${p.metadata?.name} (${p.status?.phase}${waiting ? ` ${waiting.reason}` : ''}, ${p.status?.podIP ?? 'no IP'}, ${p.spec?.nodeName ?? 'unscheduled'}, ready=${ready})`
}

// Sets the deployment's replicas and waits until exactly that many pods run and are available.
export async function scaleDeployment(w: SvcWorld, replicas: number): Promise<void> {
  const d = w.requireDeployment()
  const current = await w.apps.readNamespacedDeployment({ name: d.name, namespace: w.namespace })
  current.spec!.replicas = replicas
  await w.apps.replaceNamespacedDeployment({ name: d.name, namespace: w.namespace, body: current })
  d.replicas = replicas
  await waitForPods(w, replicas)
}

// Deletes one of the deployment's pods and waits until its replacement is available; returns the deleted pod's name.
export async function deleteOnePod(w: SvcWorld): Promise<string> {
  const [victim] = await deploymentPods(w)
  if (!victim) throw new Error(`deployment ${w.requireDeployment().name} has no pods to delete`)
  const name = victim.metadata!.name!
  await w.core.deleteNamespacedPod({ name, namespace: w.namespace })
  await waitForPods(w, w.requireDeployment().replicas, name)
  return name
}

// Waits until the deployment has `count` available replicas and exactly `count` live pods (none of them `gone`).
async function waitForPods(w: SvcWorld, count: number, gone?: string): Promise<void> {
  const name = w.requireDeployment().name
  await waitFor({
    what: `deployment ${w.namespace}/${name} to have ${count} available pods${gone ? ` without ${gone}` : ''}`,
    timeoutMs: 90_000,
    check: async () => {
      const d = await w.apps.readNamespacedDeployment({ name, namespace: w.namespace })
      const pods = await deploymentPods(w)
      const ok =
        (d.status?.availableReplicas ?? 0) === count &&
        pods.length === count &&
        !pods.some((p) => p.metadata?.name === gone)
      if (ok) return { done: true, value: undefined }
      return {
        done: false,
        seen: `${d.status?.availableReplicas ?? 0}/${count} available; pods: ${pods.map(describePod).join(', ') || 'none'}`,
      }
    },
  })
}

/** The upstream e2e test server image (netexec: /hostname, /clientip, /echo). */
export const NETEXEC_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.47'

// Creates a Deployment of agnhost netexec servers listening for HTTP on `port`, and for UDP on `udpPort` when given.
export async function createNetexecDeployment(
  w: SvcWorld,
  name: string,
  replicas: number,
  port: number,
  udpPort?: number,
): Promise<void> {
  await createDeployment(w, name, replicas, NETEXEC_IMAGE, port, {
    portName: 'http',
    args: ['netexec', `--http-port=${port}`, `--udp-port=${udpPort ?? -1}`],
    morePorts: udpPort === undefined ? [] : [{ containerPort: udpPort, protocol: 'UDP', name: 'udp' }],
  })
}
