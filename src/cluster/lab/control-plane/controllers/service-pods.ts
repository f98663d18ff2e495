// What the EndpointSlice and Endpoints controllers share: which pods back a Service, and their ports.
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node'
import { matchesSelectorMap } from '../apiserver/selector.ts'
import { isPodTerminal } from './objects.ts'

// The label every EndpointSlice carries with its Service's name.
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
// The label that says which controller manages an EndpointSlice.
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
// The managed-by value of slices this controller writes.
export const MANAGED_BY = 'endpointslice-controller.k8s.io'
// The label on slices and Endpoints of headless Services.
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'
// The annotation recording when the pods behind the object last changed.
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time'

/** A Service port resolved for one pod. */
export interface ResolvedPort {
  name: string
  port: number
  protocol: string
  appProtocol?: string
}

// Whether the controllers maintain endpoints for this Service: it has a selector and is not ExternalName.
export function hasSelector(svc: V1Service): boolean {
  return svc.spec?.type !== 'ExternalName' && Object.keys(svc.spec?.selector ?? {}).length > 0
}

// Whether the Service is headless (clusterIP None).
export function isHeadless(svc: V1Service): boolean {
  return svc.spec?.clusterIP === 'None'
}

// Whether the Service selects the pod (same namespace, selector matches labels).
export function selectsPod(svc: V1Service, pod: V1Pod): boolean {
  return (
    svc.metadata?.namespace === pod.metadata?.namespace &&
    hasSelector(svc) &&
    matchesSelectorMap(svc.spec?.selector, pod.metadata?.labels)
  )
}

// The pod's IPv4 address, if it has one.
export function podIPv4(pod: V1Pod): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)]
  return ips.find((ip): ip is string => typeof ip === 'string' && ip.length > 0 && !ip.includes(':'))
}

// Whether the pod belongs in endpoints at all (upstream ShouldPodBeInEndpoints): not finished, has an IP,
// and, unless includeTerminating, not being deleted.
export function shouldPodBeInEndpoints(pod: V1Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod) || podIPv4(pod) === undefined) return false
  return includeTerminating || pod.metadata?.deletionTimestamp === undefined
}

// The port number a Service port's targetPort means on this pod (named ports via containers[].ports), or undefined.
export function findPort(pod: V1Pod, sp: V1ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port
  if (typeof target === 'number') return target
  const protocol = sp.protocol ?? 'TCP'
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort
    }
  }
  return undefined
}

// The Service's ports as they resolve on this pod; ports a pod cannot resolve are left out (as upstream).
export function resolvePorts(svc: V1Service, pod: V1Pod): ResolvedPort[] {
  const out: ResolvedPort[] = []
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp)
    if (port === undefined) continue
    out.push({
      name: sp.name ?? '',
      port,
      protocol: sp.protocol ?? 'TCP',
      ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
    })
  }
  return out
}

// A key identifying a set of resolved ports (order-insensitive).
export function portSetKey(ports: ResolvedPort[]): string {
  return ports
    .map((p) => `${p.name}/${p.protocol}/${p.port}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',')
}

// Numeric order of dotted IPv4 addresses.
export function compareIPv4(a: string, b: string): number {
  const n = (ip: string): number => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0)
  return n(a) - n(b) || a.localeCompare(b)
}

// Labels derived from the Service for its endpoint objects (its own labels, minus reserved ones, plus headless).
export function serviceDerivedLabels(svc: V1Service): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) {
    if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v
  }
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = ''
  return labels
}
