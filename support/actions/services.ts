// Exposing the scenario's deployment as a Service, and waiting for its endpoints.
import { ApiException, type V1Service, type V1ServicePort } from '@kubernetes/client-node'
import { eventually } from '../checks/check-failed.ts'
import type { SvcWorld } from '../world.ts'
import { servicePortName as proxyPortName } from '../../src/proxy/snapshot.ts'
import { apiStatus, type ApiStatus } from '../../src/kube/api-status.ts'

/** What `expose` asks for beyond type and port. */
export interface ExposeOptions {
  /** The Service's name. @default the deployment's name */
  name?: string
  /** A container port number, or a container port's name. @default the deployment's port */
  targetPort?: number | string
  nodePort?: number
  /** More ports (named), instead of the single port. */
  ports?: V1ServicePort[]
}

// Creates a Service selecting the deployment's pods (as `kubectl expose deployment` does); it becomes "the service".
export async function exposeDeployment(
  w: SvcWorld,
  type: string,
  port: number,
  opts: ExposeOptions = {},
): Promise<V1Service> {
  const deployment = w.requireDeployment()
  const servicePort: V1ServicePort = {
    port,
    protocol: 'TCP',
    targetPort: opts.targetPort ?? deployment.port,
  }
  if (opts.nodePort !== undefined) servicePort.nodePort = opts.nodePort
  const name = opts.name ?? deployment.name
  w.service = await w.core.createNamespacedService({
    namespace: w.namespace,
    body: {
      metadata: { name, labels: deployment.labels },
      spec: { type, selector: deployment.labels, ports: opts.ports ?? [servicePort] },
    },
  })
  w.services.set(name, w.service)
  return w.service
}

// A Service of the scenario by name (as created, or read from the API server when another step made it).
export async function serviceNamed(w: SvcWorld, name: string): Promise<V1Service> {
  const known = w.services.get(name)
  if (known) return known
  const svc = await w.core.readNamespacedService({ name, namespace: w.namespace })
  w.services.set(name, svc)
  return svc
}

// `http://<cluster IP>:<port>/` of a Service's first port.
export function clusterUrl(svc: V1Service): string {
  const ip = svc.spec?.clusterIP
  const port = svc.spec?.ports?.[0]?.port
  if (!ip || ip === 'None' || !port)
    throw new Error(
      `service ${svc.metadata?.name} has no cluster IP and port (clusterIP ${ip}, port ${port})`,
    )
  return `http://${ip}:${port}/`
}

// The first port of the scenario's service, with its allocated nodePort.
export function servicePort(w: SvcWorld): V1ServicePort {
  const port = w.requireService().spec?.ports?.[0]
  if (!port) throw new Error(`service ${w.service?.metadata?.name} has no ports`)
  return port
}

// The service's node port; fails when none was allocated.
export function nodePort(w: SvcWorld): number {
  const np = servicePort(w).nodePort
  if (!np)
    throw new Error(`service ${w.service?.metadata?.name} has no nodePort (type ${w.service?.spec?.type})`)
  return np
}

// The kube-proxy name of a service port: `namespace/service` plus `:portname` when the port is named.
export function servicePortName(w: SvcWorld): string {
  const svc = w.requireService()
  const name = servicePort(w).name
  return proxyPortName(svc.metadata?.namespace ?? '', svc.metadata?.name ?? '', name)
}

// Waits until the service's (or the named Service's) EndpointSlices list exactly `count` ready endpoints.
export async function waitForReadyEndpoints(w: SvcWorld, count: number, name?: string): Promise<string[]> {
  const svc = name ?? w.requireService().metadata!.name!
  // A check: a Service whose endpoints never become ready is a failed scenario, not a broken test.
  return eventually({
    what: `service ${w.namespace}/${svc} to have ${count} ready endpoints in its EndpointSlices`,
    timeoutMs: 60_000,
    check: async () => {
      const slices = await w.discovery.listNamespacedEndpointSlice({
        namespace: w.namespace,
        labelSelector: `kubernetes.io/service-name=${svc}`,
      })
      const ready = slices.items.flatMap((s) =>
        (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => e.addresses[0]!),
      )
      if (ready.length === count) return { done: true, value: ready }
      return { done: false, seen: `${slices.items.length} slices, ready endpoints [${ready.join(', ')}]` }
    },
  })
}

/** What the API server said when it refused a request. */
export interface ApiRefusal {
  code: number
  message: string
}

// Tries to create a selector-less Service; returns the created Service, or the API server's refusal.
export async function tryCreateService(
  w: SvcWorld,
  name: string,
  type: string,
  port: number,
  nodePort?: number,
  selector?: Record<string, string>,
): Promise<V1Service | ApiRefusal> {
  const servicePort: V1ServicePort = {
    port,
    protocol: 'TCP',
    ...(nodePort === undefined ? {} : { nodePort }),
  }
  try {
    const svc = await w.core.createNamespacedService({
      namespace: w.namespace,
      body: { metadata: { name }, spec: { type, ports: [servicePort], ...(selector ? { selector } : {}) } },
    })
    w.services.set(name, svc)
    return svc
  } catch (err) {
    if (err instanceof ApiException) return refusal(err)
    throw err
  }
}

// Tries to create a Service and keeps the outcome for a later step to check; a refusal must be checked.
export async function attemptService(
  w: SvcWorld,
  name: string,
  type: string,
  port: number,
  nodePort?: number,
): Promise<void> {
  const outcome = await tryCreateService(w, name, type, port, nodePort)
  w.lastCreate = { name, outcome }
  if ('code' in outcome)
    w.pending.capture(
      `create service ${name}`,
      `the API server refused service "${name}" with ${outcome.code} "${outcome.message}"`,
    )
}

// Creates a Service that the scenario needs; a refusal is an error of the setup.
export async function createServiceOrFail(
  w: SvcWorld,
  name: string,
  type: string,
  port: number,
  nodePort?: number,
  selector?: Record<string, string>,
): Promise<V1Service> {
  const outcome = await tryCreateService(w, name, type, port, nodePort, selector)
  if ('code' in outcome)
    throw new Error(`creating service ${name} failed: ${outcome.code} ${outcome.message}`)
  return outcome
}

// Deletes one of the scenario's Services.
export async function deleteService(w: SvcWorld, name: string): Promise<void> {
  await w.core.deleteNamespacedService({ name, namespace: w.namespace })
  w.services.delete(name)
}

// The code and message of the Status body of an API error; an answer without one is an error of its own.
function refusal(err: ApiException<unknown>): ApiStatus {
  const status = apiStatus(err)
  if (!status) throw new Error(`the API server answered ${err.code} without a Status message`, { cause: err })
  return status
}

// Creates a selector-less Service with these ports (and this cluster IP, when given); a refusal is a setup error.
export async function createServiceWithPorts(
  w: SvcWorld,
  name: string,
  type: string,
  ports: V1ServicePort[],
  clusterIP?: string,
): Promise<V1Service> {
  const svc = await w.core.createNamespacedService({
    namespace: w.namespace,
    body: { metadata: { name }, spec: { type, ports, ...(clusterIP ? { clusterIP } : {}) } },
  })
  w.services.set(name, svc)
  w.service = svc
  return svc
}

// The node port the API server gave the scenario's service port called `portName`.
export function nodePortNamed(w: SvcWorld, portName: string): number {
  const ports = w.requireService().spec?.ports ?? []
  const port = ports.find((p) => p.name === portName)
  if (!port?.nodePort)
    throw new Error(
      `service ${w.service?.metadata?.name} has no node port for a port named "${portName}"; ports: ${JSON.stringify(ports)}`,
    )
  return port.nodePort
}

// Changes the scenario's service (read, change the spec, write back) and keeps the API server's answer.
export async function updateService(
  w: SvcWorld,
  change: (spec: NonNullable<V1Service['spec']>) => void,
): Promise<V1Service> {
  const name = w.requireService().metadata!.name!
  const svc = await w.core.readNamespacedService({ name, namespace: w.namespace })
  change((svc.spec ??= {}))
  w.service = await w.core.replaceNamespacedService({ name, namespace: w.namespace, body: svc })
  w.services.set(name, w.service)
  return w.service
}

// Waits until the API server has given the scenario's LoadBalancer service an ingress IP, and returns it.
export async function waitForIngressIP(w: SvcWorld): Promise<string> {
  const name = w.requireService().metadata!.name!
  const svc = await eventually({
    what: `service ${w.namespace}/${name} to get a load-balancer ingress IP`,
    timeoutMs: 30_000,
    intervalMs: 500,
    check: async () => {
      const s = await w.core.readNamespacedService({ name, namespace: w.namespace })
      const ip = s.status?.loadBalancer?.ingress?.[0]?.ip
      return ip ? { done: true, value: s } : { done: false, seen: `status ${JSON.stringify(s.status ?? {})}` }
    },
  })
  w.service = svc
  w.services.set(name, svc)
  return svc.status!.loadBalancer!.ingress![0]!.ip!
}
