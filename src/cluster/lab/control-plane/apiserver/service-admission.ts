// Service admission like the real API server: defaults, validation (all problems at once), ClusterIP and NodePort allocation.
import type { AdmissionHook } from './admission.ts'
import { duplicate, forbidden, invalidValue, required, unsupported, validateName } from './field-errors.ts'
import { IpAllocator } from './ip-allocator.ts'
import { parseIPv4 } from '../../../../kube/ip.ts'
import { NodePortAllocator, parsePortRange, type PortRange } from './node-port-allocator.ts'
import { StatusError, invalid, type StatusCause } from './status-error.ts'
import type { KubeObject } from './store.ts'

/** Allocator configuration for Services. */
export interface ServiceAdmissionOptions {
  /** IPv4 CIDR ClusterIPs come from. @default '10.96.0.0/16' */
  serviceCIDR?: string
  /** Node port range, as `30000-32767` or {min, max}. @default 30000-32767 */
  nodePortRange?: string | PortRange
  /** Random source for allocation (tests). @default Math.random */
  random?: () => number
}

interface Port {
  name?: string
  protocol?: string
  port?: number
  targetPort?: number | string
  nodePort?: number
  [k: string]: unknown
}

interface Spec {
  type?: string
  clusterIP?: string
  clusterIPs?: string[]
  ports?: Port[]
  externalName?: string
  sessionAffinity?: string
  sessionAffinityConfig?: unknown
  externalTrafficPolicy?: string
  internalTrafficPolicy?: string
  healthCheckNodePort?: number
  ipFamilies?: string[]
  ipFamilyPolicy?: string
  allocateLoadBalancerNodePorts?: boolean
  [k: string]: unknown
}

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

const specOf = (o: KubeObject): Spec => {
  if (!o.spec || typeof o.spec !== 'object') o.spec = {}
  return o.spec as Spec
}
const needsNodePorts = (s: Spec) =>
  s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false)
const needsHealthCheck = (s: Spec) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local'
const hasIP = (s: Spec) => s.type !== 'ExternalName' && !!s.clusterIP && s.clusterIP !== 'None'
const portKey = (p: Port) => `${p.port}/${p.protocol || 'TCP'}`

// The node ports a Service holds (including healthCheckNodePort).
function heldPorts(s: Spec): Set<number> {
  const out = new Set<number>()
  if (needsNodePorts(s)) for (const p of s.ports ?? []) if (p.nodePort) out.add(p.nodePort)
  if (needsHealthCheck(s) && s.healthCheckNodePort) out.add(s.healthCheckNodePort)
  return out
}

// Fills in what the API server defaults on a Service spec.
export function defaultServiceSpec(s: Spec): void {
  s.type ||= 'ClusterIP'
  s.sessionAffinity ||= 'None'
  if (s.sessionAffinity === 'ClientIP') s.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } }
  for (const p of s.ports ?? []) {
    p.protocol ||= 'TCP'
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port
  }
  if (s.type === 'ExternalName') return
  if (s.clusterIP && !s.clusterIPs?.length) s.clusterIPs = [s.clusterIP]
  if (!s.clusterIP && s.clusterIPs?.length) s.clusterIP = s.clusterIPs[0]
  s.internalTrafficPolicy ||= 'Cluster'
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ||= 'Cluster'
  if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true
}

// Drops fields tied to the old type when the type changes and the user left them as they were (upstream dropTypeDependentFields).
function dropTypeDependentFields(s: Spec, old: Spec): void {
  if (s.type === old.type) return
  if (needsNodePorts(old) && !needsNodePorts(s)) {
    for (const p of s.ports ?? []) {
      if (p.nodePort && (old.ports ?? []).some((o) => o.nodePort === p.nodePort)) delete p.nodePort
    }
  }
  if (s.type === 'ExternalName' && old.type !== 'ExternalName') {
    if (s.clusterIP === old.clusterIP) delete s.clusterIP
    if (JSON.stringify(s.clusterIPs) === JSON.stringify(old.clusterIPs)) delete s.clusterIPs
    delete s.ipFamilies
    delete s.ipFamilyPolicy
    delete s.internalTrafficPolicy
  }
  if (
    s.type !== 'NodePort' &&
    s.type !== 'LoadBalancer' &&
    s.externalTrafficPolicy === old.externalTrafficPolicy
  ) {
    delete s.externalTrafficPolicy
  }
  if (!needsHealthCheck(s) && s.healthCheckNodePort === old.healthCheckNodePort) delete s.healthCheckNodePort
}

// Keeps what was allocated when an update omits it (upstream patchAllocatedValues).
function patchAllocatedValues(s: Spec, old: Spec): void {
  if (s.type !== 'ExternalName' && old.type !== 'ExternalName' && !s.clusterIP && !s.clusterIPs?.length) {
    if (old.clusterIP) s.clusterIP = old.clusterIP
    if (old.clusterIPs) s.clusterIPs = [...old.clusterIPs]
  }
  if (needsNodePorts(s) && needsNodePorts(old)) {
    for (const p of s.ports ?? []) {
      if (p.nodePort) continue
      const match = (old.ports ?? []).find((o) => portKey(o) === portKey(p) && o.nodePort)
      if (match) p.nodePort = match.nodePort
    }
  }
  if (needsHealthCheck(s) && needsHealthCheck(old) && !s.healthCheckNodePort && old.healthCheckNodePort) {
    s.healthCheckNodePort = old.healthCheckNodePort
  }
}

// Validates a defaulted Service; returns every problem found.
export function validateService(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const s = specOf(obj)
  // metadata (the DNS-1035 name rule included) is validated by the store for every kind.
  const errs: StatusCause[] = []
  if (!TYPES.includes(s.type!)) errs.push(unsupported('spec.type', s.type, TYPES))
  if (!['ClientIP', 'None'].includes(s.sessionAffinity!)) {
    errs.push(unsupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']))
  }
  if (s.type === 'ExternalName') {
    if (!s.externalName) errs.push(required('spec.externalName'))
    if (s.clusterIP || s.clusterIPs?.length)
      errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'))
  } else if (!s.ports?.length && s.clusterIP !== 'None') {
    errs.push(required('spec.ports'))
  }
  const ports = s.ports ?? []
  const names = new Set<string>()
  const keys = new Set<string>()
  const nodePorts = new Set<string>()
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`
    if (ports.length > 1 && !p.name) errs.push(required(`${at}.name`))
    else if (p.name) {
      if (names.has(p.name)) errs.push(duplicate(`${at}.name`, p.name))
      names.add(p.name)
      errs.push(...validateName(`${at}.name`, p.name, 'dns1123-label'))
    }
    if (!Number.isInteger(p.port) || p.port! < 1 || p.port! > 65535) {
      errs.push(invalidValue(`${at}.port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'))
    }
    if (!PROTOCOLS.includes(p.protocol!)) errs.push(unsupported(`${at}.protocol`, p.protocol, PROTOCOLS))
    const tp = p.targetPort
    if (
      typeof tp === 'number'
        ? !Number.isInteger(tp) || tp < 1 || tp > 65535
        : !IANA_SVC_NAME.test(String(tp ?? ''))
    ) {
      errs.push(
        invalidValue(
          `${at}.targetPort`,
          tp,
          typeof tp === 'number'
            ? 'must be between 1 and 65535, inclusive'
            : 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        ),
      )
    }
    const key = portKey(p)
    if (keys.has(key)) errs.push(duplicate(at, { port: p.port, protocol: p.protocol }))
    keys.add(key)
    if (p.nodePort) {
      if (s.type === 'ClusterIP' || s.type === 'ExternalName') {
        errs.push(forbidden(`${at}.nodePort`, `may not be used when \`type\` is '${s.type}'`))
      } else if (nodePorts.has(`${p.nodePort}/${p.protocol}`)) {
        errs.push(duplicate(`${at}.nodePort`, p.nodePort))
      }
      nodePorts.add(`${p.nodePort}/${p.protocol}`)
    }
  })
  if (
    s.clusterIP &&
    s.clusterIP !== 'None' &&
    s.type !== 'ExternalName' &&
    parseIPv4(s.clusterIP) === undefined
  ) {
    errs.push(
      invalidValue(
        'spec.clusterIPs[0]',
        s.clusterIP,
        'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ),
    )
  }
  if (s.clusterIPs?.length && s.clusterIP && s.clusterIPs[0] !== s.clusterIP) {
    errs.push(invalidValue('spec.clusterIPs', s.clusterIPs, 'first value must match `clusterIP`'))
  }
  if (s.externalTrafficPolicy !== undefined) {
    if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') {
      errs.push(
        invalidValue(
          'spec.externalTrafficPolicy',
          s.externalTrafficPolicy,
          "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
        ),
      )
    } else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) {
      errs.push(unsupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']))
    }
  }
  if (s.internalTrafficPolicy !== undefined && !['Cluster', 'Local'].includes(s.internalTrafficPolicy)) {
    errs.push(unsupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']))
  }
  if (s.healthCheckNodePort && !needsHealthCheck(s)) {
    errs.push(
      invalidValue(
        'spec.healthCheckNodePort',
        s.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    )
  }
  if (old) {
    const o = specOf(old)
    if (
      o.type !== 'ExternalName' &&
      s.type !== 'ExternalName' &&
      o.clusterIPs?.length &&
      s.clusterIPs?.[0] !== o.clusterIPs[0]
    ) {
      errs.push(invalidValue('spec.clusterIPs[0]', s.clusterIPs ?? [], 'may not change once set'))
    }
  }
  return errs
}

// Service admission with its allocators; `ips` and `nodePorts` are exposed for inspection.
export function serviceAdmission(opts: ServiceAdmissionOptions = {}): AdmissionHook & {
  ips: IpAllocator
  nodePorts: NodePortAllocator
} {
  const range =
    typeof opts.nodePortRange === 'string' ? parsePortRange(opts.nodePortRange) : opts.nodePortRange
  const ips = new IpAllocator(opts.serviceCIDR ?? '10.96.0.0/16', opts.random)
  const nodePorts = new NodePortAllocator(range, opts.random)
  const name = (o: KubeObject) => o.metadata.name ?? ''

  // Allocates what obj needs beyond what old holds; all or nothing.
  const allocate = (obj: KubeObject, old?: Spec) => {
    const s = specOf(obj)
    const errs: StatusCause[] = []
    const gotIps: string[] = []
    const gotPorts: number[] = []
    if (s.type !== 'ExternalName' && s.clusterIP !== 'None') {
      const held = old && hasIP(old) ? old.clusterIP : undefined
      if (!s.clusterIP) {
        const ip = ips.allocateNext()
        if (!ip)
          errs.push({ message: 'failed to allocate a serviceIP: range is full', field: 'spec.clusterIPs' })
        else gotIps.push(ip)
        if (ip) s.clusterIP = ip
      } else if (s.clusterIP !== held) {
        const why = ips.allocate(s.clusterIP)
        if (why === 'out-of-range') {
          errs.push(
            invalidValue(
              'spec.clusterIPs[0]',
              s.clusterIP,
              `provided IP is not in the valid range. The range of valid IPs is ${ips.cidr}`,
            ),
          )
        } else if (why === 'allocated') {
          errs.push(invalidValue('spec.clusterIPs[0]', s.clusterIP, 'provided IP is already allocated'))
        } else if (!why) gotIps.push(s.clusterIP)
      }
      s.clusterIPs = [s.clusterIP!]
    }
    if (s.type !== 'ExternalName') {
      s.ipFamilies ??= ['IPv4']
      s.ipFamilyPolicy ??= 'SingleStack'
    }
    const oldHeld = old ? heldPorts(old) : new Set<number>()
    const mine = new Set<number>()
    const take = (field: string, port: number | undefined): number | undefined => {
      if (port) {
        if (oldHeld.has(port) || mine.has(port)) return port
        const why = nodePorts.allocate(port)
        if (why === 'out-of-range') {
          errs.push(
            invalidValue(
              field,
              port,
              `provided port is not in the valid range. The range of valid ports is ${nodePorts.rangeText}`,
            ),
          )
        } else if (why === 'allocated') {
          errs.push(invalidValue(field, port, 'provided port is already allocated'))
        } else {
          gotPorts.push(port)
          mine.add(port)
        }
        return port
      }
      const next = nodePorts.allocateNext()
      if (next === undefined) errs.push({ message: 'failed to allocate a nodePort: range is full', field })
      else {
        gotPorts.push(next)
        mine.add(next)
      }
      return next
    }
    if (needsNodePorts(s)) {
      ;(s.ports ?? []).forEach((p, i) => {
        p.nodePort = take(`spec.ports[${i}].nodePort`, p.nodePort)
      })
    }
    if (needsHealthCheck(s)) s.healthCheckNodePort = take('spec.healthCheckNodePort', s.healthCheckNodePort)
    if (errs.length) {
      gotIps.forEach((ip) => ips.release(ip))
      gotPorts.forEach((p) => nodePorts.release(p))
      if (errs.every((e) => !e.reason)) {
        throw new StatusError(
          500,
          'InternalError',
          `Internal error occurred: ${errs.map((e) => e.message).join(', ')}`,
        )
      }
      throw invalid('Service', '', name(obj), errs)
    }
  }

  const release = (s: Spec, keep?: Spec) => {
    if (hasIP(s) && !(keep && hasIP(keep) && keep.clusterIP === s.clusterIP)) ips.release(s.clusterIP!)
    const kept = keep ? heldPorts(keep) : new Set<number>()
    for (const p of heldPorts(s)) if (!kept.has(p)) nodePorts.release(p)
  }

  return {
    ips,
    nodePorts,
    create(obj) {
      const s = specOf(obj)
      defaultServiceSpec(s)
      const errs = validateService(obj)
      if (errs.length) throw invalid('Service', '', name(obj), errs)
      allocate(obj)
      obj.status = { loadBalancer: {}, ...(obj.status as object | undefined) }
    },
    update(obj, old) {
      const s = specOf(obj)
      const o = specOf(old)
      s.type ||= 'ClusterIP'
      dropTypeDependentFields(s, o)
      patchAllocatedValues(s, o)
      defaultServiceSpec(s)
      const errs = validateService(obj, old)
      if (errs.length) throw invalid('Service', '', name(obj), errs)
      allocate(obj, o)
      release(o, s)
    },
    release(obj) {
      release(specOf(obj))
    },
  }
}
