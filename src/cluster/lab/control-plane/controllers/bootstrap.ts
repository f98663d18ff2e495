// The bootstrap controller: system namespaces and the default/kubernetes Service, Endpoints and EndpointSlice.
import type { V1EndpointSlice, V1Endpoints, V1Namespace, V1Service } from '@kubernetes/client-node'
import type { KubeObject, ResourceName } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue } from './controller.ts'
import { as, canonicalJson, hasCode, toKube } from './objects.ts'
import { cidrAddress, parseCidr4 } from '../../../../kube/ip.ts'

/** Where the API server is reached, and the service CIDR whose first address `kubernetes` takes. */
export interface BootstrapConfig {
  apiServer: { host: string; port: number }
  /** @default '10.96.0.0/16' */
  serviceCIDR?: string
}

// The namespaces every cluster has.
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const

// The first usable address of an IPv4 CIDR: 10.96.0.0/16 → 10.96.0.1.
export function firstServiceIP(cidr: string): string {
  const c = parseCidr4(cidr, 'strict')
  if (!c)
    throw new TypeError(`serviceCIDR must be an IPv4 CIDR like 10.96.0.0/16, got ${JSON.stringify(cidr)}`)
  return cidrAddress(c, 1)
}

/** The objects the bootstrap controller keeps in place. */
export interface BootstrapObjects {
  namespaces: V1Namespace[]
  service: V1Service
  endpoints: V1Endpoints
  slice: V1EndpointSlice
}

// The desired system namespaces and kubernetes Service/Endpoints/EndpointSlice for a config.
export function bootstrapObjects(config: BootstrapConfig): BootstrapObjects {
  const clusterIP = firstServiceIP(config.serviceCIDR ?? '10.96.0.0/16')
  const host = config.apiServer.host
  return {
    namespaces: SYSTEM_NAMESPACES.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    })),
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP,
        clusterIPs: [clusterIP],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    },
    endpoints: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip: host }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    },
    slice: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: {
          'kubernetes.io/service-name': 'kubernetes',
          'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
        },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [host], conditions: { ready: true, serving: true, terminating: false } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    },
  }
}

// Creates what is missing and repairs what drifted (ports are updated in place, a changed clusterIP recreates).
export function reconcileBootstrap(ctx: ControllerContext, desired: BootstrapObjects): void {
  for (const ns of desired.namespaces) ensure(ctx, 'namespaces', toKube(ns), () => false)
  ensure(ctx, 'services', toKube(desired.service), (cur) => {
    const spec = as<V1Service>(cur).spec
    if (spec?.clusterIP !== desired.service.spec?.clusterIP) return 'recreate'
    const ports = spec?.ports?.map(({ name, port, protocol, targetPort }) => ({
      name,
      port,
      protocol,
      targetPort,
    }))
    return canonicalJson(ports) !== canonicalJson(desired.service.spec?.ports) ? 'update' : false
  })
  ensure(ctx, 'endpoints', toKube(desired.endpoints), (cur) =>
    canonicalJson(as<V1Endpoints>(cur).subsets) !== canonicalJson(desired.endpoints.subsets)
      ? 'update'
      : false,
  )
  ensure(ctx, 'endpointslices', toKube(desired.slice), (cur) => {
    const s = as<V1EndpointSlice>(cur)
    const want = desired.slice
    return canonicalJson([s.endpoints, s.ports, s.metadata?.labels]) !==
      canonicalJson([want.endpoints, want.ports, want.metadata?.labels])
      ? 'update'
      : false
  })
}

// Creates obj if missing; if present and drift() says so, updates it (or deletes and recreates it).
function ensure(
  ctx: ControllerContext,
  resource: ResourceName,
  obj: KubeObject,
  drift: (cur: KubeObject) => false | 'update' | 'recreate',
): void {
  const { store } = ctx
  const cur = store.get(resource, obj.metadata.namespace, obj.metadata.name ?? '')
  if (!cur) {
    try {
      store.create(resource, structuredClone(obj))
    } catch (err) {
      if (!hasCode(err, 409)) throw err
    }
    return
  }
  if (cur.metadata.deletionTimestamp) return
  const d = drift(cur)
  if (d === 'update') {
    const { metadata, ...rest } = structuredClone(obj)
    const merged: KubeObject = { ...cur, ...rest, metadata: { ...cur.metadata, labels: metadata.labels } }
    if (resource === 'services') merged['spec'] = { ...(cur['spec'] as object), ...(rest['spec'] as object) }
    store.update(resource, merged)
  } else if (d === 'recreate') {
    store.delete(resource, obj.metadata.namespace, obj.metadata.name ?? '', { gracePeriodSeconds: 0 })
    store.create(resource, structuredClone(obj))
  }
}

// Starts the bootstrap controller: reconciles at start and whenever one of its objects changes or goes.
export function startBootstrapController(ctx: ControllerContext, config: BootstrapConfig): RunningController {
  const desired = bootstrapObjects(config)
  const queue = controllerQueue('bootstrap', ctx, () => reconcileBootstrap(ctx, desired))
  for (const resource of ['namespaces', 'services', 'endpoints', 'endpointslices'] as const) {
    const ours = (obj: KubeObject): boolean =>
      resource === 'namespaces'
        ? (SYSTEM_NAMESPACES as readonly string[]).includes(obj.metadata.name ?? '')
        : obj.metadata.namespace === 'default' && obj.metadata.name === 'kubernetes'
    ctx.informers.for(resource).addHandler({
      onUpdate: (_o, n) => {
        if (ours(n)) queue.add('bootstrap')
      },
      onDelete: (o) => {
        if (ours(o)) queue.add('bootstrap')
      },
    })
  }
  queue.add('bootstrap')
  return { stop: () => queue.stop() }
}
