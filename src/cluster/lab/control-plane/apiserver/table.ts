// Server-side printing: metav1.Table rows for `kubectl get`, with the columns real kubectl shows.
import type { ResourceInfo } from './resources.ts'
import type { KubeObject } from './store.ts'
import { labelSelectorText, selectorText } from '../../../../kube/label-selector.ts'

/** One column of a Table. */
export interface TableColumn {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

type Cell = string | number
type Row = (o: KubeObject, now: Date) => Cell[]
/* eslint-disable @typescript-eslint/no-explicit-any -- printers read loosely-typed wire objects */
type Any = any

const col = (name: string, priority = 0, type = 'string'): TableColumn => ({
  name,
  type,
  format: name === 'Name' ? 'name' : '',
  description: name,
  priority,
})

// Kubernetes' short human duration: 45s, 5m, 3h, 2d, 1y…
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`
  if (h < 48) return `${h}h`
  const d = Math.floor(h / 24)
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`
  if (d < 365 * 2) return `${d}d`
  return `${Math.floor(d / 365)}y`
}

const age = (o: KubeObject, now: Date) => {
  const t = o.metadata.creationTimestamp
  return t ? humanDuration(now.getTime() - new Date(String(t)).getTime()) : '<unknown>'
}
const none = (s: string) => (s === '' ? '<none>' : s)
const containers = (spec: Any) => none((spec?.containers ?? []).map((c: Any) => c.name).join(','))
const images = (spec: Any) => none((spec?.containers ?? []).map((c: Any) => c.image).join(','))

function podStatus(o: Any): string {
  if (o.metadata.deletionTimestamp) return 'Terminating'
  let reason: string = o.status?.reason ?? o.status?.phase ?? 'Unknown'
  for (const cs of o.status?.containerStatuses ?? []) {
    const w = cs.state?.waiting?.reason
    const t = cs.state?.terminated?.reason
    if (w) reason = w
    else if (t && reason !== 'Running') reason = t
  }
  return reason
}

function servicePorts(spec: Any): string {
  return none(
    (spec?.ports ?? [])
      .map((p: Any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
      .join(','),
  )
}

function externalIP(o: Any): string {
  const spec = o.spec ?? {}
  if (spec.type === 'ExternalName') return spec.externalName ?? '<none>'
  const ips: string[] = [...(spec.externalIPs ?? [])]
  if (spec.type === 'LoadBalancer') {
    for (const i of o.status?.loadBalancer?.ingress ?? []) ips.push(i.ip ?? i.hostname)
    if (ips.length === 0) return '<pending>'
  }
  return none(ips.join(','))
}

function nodeStatus(o: Any): string {
  const ready = (o.status?.conditions ?? []).find((c: Any) => c.type === 'Ready')
  let s = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'
  if (o.spec?.unschedulable) s += ',SchedulingDisabled'
  return s
}

function nodeRoles(o: Any): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
  return none(roles.sort().join(','))
}

function nodeAddress(o: Any, type: string): string {
  return (o.status?.addresses ?? []).find((a: Any) => a.type === type)?.address ?? '<none>'
}

function sliceEndpoints(o: Any): string {
  const addrs: string[] = (o.endpoints ?? []).flatMap((e: Any) => e.addresses ?? [])
  if (addrs.length === 0) return '<none>'
  return addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',')
}

function endpointsText(o: Any): string {
  const out: string[] = []
  for (const s of o.subsets ?? []) {
    for (const a of s.addresses ?? []) {
      const ports = s.ports ?? []
      if (ports.length === 0) out.push(a.ip)
      for (const p of ports) out.push(`${a.ip}:${p.port}`)
    }
  }
  if (out.length === 0) return '<none>'
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',')
}

const PRINTERS: Partial<Record<string, { columns: TableColumn[]; row: Row }>> = {
  pods: {
    columns: [
      col('Name'),
      col('Ready'),
      col('Status'),
      col('Restarts', 0, 'string'),
      col('Age'),
      col('IP', 1),
      col('Node', 1),
      col('Nominated Node', 1),
      col('Readiness Gates', 1),
    ],
    row: (o: Any, now) => {
      const cs = o.status?.containerStatuses ?? []
      const total = (o.spec?.containers ?? []).length
      const ready = cs.filter((c: Any) => c.ready).length
      const restarts = cs.reduce((n: number, c: Any) => n + (c.restartCount ?? 0), 0)
      return [
        o.metadata.name,
        `${ready}/${total}`,
        podStatus(o),
        restarts,
        age(o, now),
        o.status?.podIP ?? '<none>',
        o.spec?.nodeName ?? '<none>',
        '<none>',
        '<none>',
      ]
    },
  },
  services: {
    columns: [
      col('Name'),
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      col('Age'),
      col('Selector', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      o.spec?.type ?? 'ClusterIP',
      o.spec?.clusterIP || '<none>',
      externalIP(o),
      servicePorts(o.spec),
      age(o, now),
      none(selectorText(o.spec?.selector)),
    ],
  },
  deployments: {
    columns: [
      col('Name'),
      col('Ready'),
      col('Up-to-date', 0, 'integer'),
      col('Available', 0, 'integer'),
      col('Age'),
      col('Containers', 1),
      col('Images', 1),
      col('Selector', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o, now),
      containers(o.spec?.template?.spec),
      images(o.spec?.template?.spec),
      none(labelSelectorText(o.spec?.selector)),
    ],
  },
  replicasets: {
    columns: [
      col('Name'),
      col('Desired', 0, 'integer'),
      col('Current', 0, 'integer'),
      col('Ready', 0, 'integer'),
      col('Age'),
      col('Containers', 1),
      col('Images', 1),
      col('Selector', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      containers(o.spec?.template?.spec),
      images(o.spec?.template?.spec),
      none(labelSelectorText(o.spec?.selector)),
    ],
  },
  daemonsets: {
    columns: [
      col('Name'),
      col('Desired', 0, 'integer'),
      col('Current', 0, 'integer'),
      col('Ready', 0, 'integer'),
      col('Up-to-date', 0, 'integer'),
      col('Available', 0, 'integer'),
      col('Node Selector'),
      col('Age'),
      col('Containers', 1),
      col('Images', 1),
      col('Selector', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      o.status?.desiredNumberScheduled ?? 0,
      o.status?.currentNumberScheduled ?? 0,
      o.status?.numberReady ?? 0,
      o.status?.updatedNumberScheduled ?? 0,
      o.status?.numberAvailable ?? 0,
      none(selectorText(o.spec?.template?.spec?.nodeSelector)),
      age(o, now),
      containers(o.spec?.template?.spec),
      images(o.spec?.template?.spec),
      none(labelSelectorText(o.spec?.selector)),
    ],
  },
  nodes: {
    columns: [
      col('Name'),
      col('Status'),
      col('Roles'),
      col('Age'),
      col('Version'),
      col('Internal-IP', 1),
      col('External-IP', 1),
      col('OS-Image', 1),
      col('Kernel-Version', 1),
      col('Container-Runtime', 1),
    ],
    row: (o: Any, now) => {
      const info = o.status?.nodeInfo ?? {}
      return [
        o.metadata.name,
        nodeStatus(o),
        nodeRoles(o),
        age(o, now),
        info.kubeletVersion ?? '',
        nodeAddress(o, 'InternalIP'),
        nodeAddress(o, 'ExternalIP'),
        info.osImage ?? '<unknown>',
        info.kernelVersion ?? '<unknown>',
        info.containerRuntimeVersion ?? '<unknown>',
      ]
    },
  },
  endpointslices: {
    columns: [col('Name'), col('AddressType'), col('Ports'), col('Endpoints'), col('Age')],
    row: (o: Any, now) => [
      o.metadata.name,
      o.addressType ?? '',
      (o.ports ?? []).length
        ? o.ports.map((p: Any) => (p.port === undefined ? '<unset>' : String(p.port))).join(',')
        : '<unset>',
      sliceEndpoints(o),
      age(o, now),
    ],
  },
  endpoints: {
    columns: [col('Name'), col('Endpoints'), col('Age')],
    row: (o: Any, now) => [o.metadata.name, endpointsText(o), age(o, now)],
  },
  namespaces: {
    columns: [col('Name'), col('Status'), col('Age')],
    row: (o: Any, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o, now)],
  },
  configmaps: {
    columns: [col('Name'), col('Data', 0, 'integer'), col('Age')],
    row: (o: Any, now) => [
      o.metadata.name,
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      age(o, now),
    ],
  },
  events: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
    row: (o: Any, now) => [
      o.lastTimestamp || o.eventTime
        ? humanDuration(now.getTime() - new Date(o.lastTimestamp ?? o.eventTime).getTime())
        : age(o, now),
      o.type ?? '',
      o.reason ?? '',
      `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`,
      o.message ?? '',
    ],
  },
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const GENERIC = {
  columns: [col('Name'), col('Age')],
  row: (o: KubeObject, now: Date) => [o.metadata.name ?? '', age(o, now)],
}

/** How much of each object a Table row carries (`includeObject`). */
export type IncludeObject = 'None' | 'Metadata' | 'Object'

// Builds a metav1.Table for objects of one resource.
export function toTable(
  info: ResourceInfo,
  objects: KubeObject[],
  opts: { resourceVersion?: string; include?: IncludeObject; now?: Date; noHeaders?: boolean },
): Record<string, unknown> {
  const printer = PRINTERS[info.resource] ?? GENERIC
  const now = opts.now ?? new Date()
  const include = opts.include ?? 'Metadata'
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {},
    columnDefinitions: opts.noHeaders ? [] : printer.columns,
    rows: objects.map((o) => ({
      cells: printer.row(o, now),
      ...(include === 'None'
        ? {}
        : {
            object:
              include === 'Object'
                ? o
                : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
          }),
    })),
  }
}

// Whether an Accept header asks for a Table (`application/json;as=Table;v=v1;g=meta.k8s.io`).
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /(^|[;,\s])as=Table([;,\s]|$)/.test(accept)
}
