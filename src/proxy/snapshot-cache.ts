// The proxier's snapshot, kept up to date service by service: a sync recomputes only the Services that changed
// (KEP-3453's point: a partial sync must not cost as much as a full one at 10,000 Services).
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node'
import {
  comparePorts,
  endpointsOfSlices,
  servicePortsFromService,
  type EndpointInfo,
  type ProxySnapshot,
  type ServicePortInfo,
} from './snapshot.ts'
import type { IPFamily } from './ip-family.ts'

/** Where the cache reads the current objects of one Service. */
export interface ServiceObjects {
  // The Service `ns/name`, if it exists.
  service(key: string): V1Service | undefined
  // The EndpointSlices labelled for the Service `ns/name`.
  slices(key: string): V1EndpointSlice[]
}

// Per-Service service ports and endpoints, with a sorted view rebuilt only when ports come or go.
export class SnapshotCache {
  readonly #nodeName: string
  readonly #family: IPFamily
  readonly #ports = new Map<string, ServicePortInfo[]>()
  readonly #endpointKeys = new Map<string, string[]>()
  readonly #endpoints = new Map<string, EndpointInfo[]>()
  #sorted: ServicePortInfo[] | undefined
  /** Index of each port (name + protocol) in #sorted. */
  readonly #position = new Map<string, number>()
  #totalEndpoints = 0
  constructor(nodeName: string, family: IPFamily = 'IPv4') {
    this.#nodeName = nodeName
    this.#family = family
  }
  /** Endpoints of every service port (the large-cluster threshold counts them). */
  get totalEndpoints(): number {
    return this.#totalEndpoints
  }
  // Recomputes the given Services (`ns/name`) from their current objects.
  update(services: Iterable<string>, objects: ServiceObjects): void {
    for (const key of services) {
      const svc = objects.service(key)
      const ports = svc ? servicePortsFromService(svc, this.#family) : []
      const before = this.#ports.get(key)
      if (ports.length) this.#ports.set(key, ports)
      else this.#ports.delete(key)
      if (before?.length !== ports.length || before.some((p, i) => !samePort(p, ports[i]!)))
        this.#sorted = undefined
      else if (this.#sorted) {
        // Same ports, new details (cluster IP, policies…): replace them where they sit in the sorted view.
        for (const p of ports) this.#sorted[this.#position.get(portId(p))!] = p
      }
      for (const k of this.#endpointKeys.get(key) ?? []) {
        this.#totalEndpoints -= this.#endpoints.get(k)?.length ?? 0
        this.#endpoints.delete(k)
      }
      const eps = endpointsOfSlices(objects.slices(key), this.#nodeName, this.#family)
      this.#endpointKeys.set(key, [...eps.keys()])
      for (const [k, list] of eps) {
        this.#endpoints.set(k, list)
        this.#totalEndpoints += list.length
      }
      if (eps.size === 0) this.#endpointKeys.delete(key)
    }
  }
  // A snapshot of just these Services as they are now (for comparisons across an update).
  partial(services: Iterable<string>): ProxySnapshot {
    const ports: ServicePortInfo[] = []
    const endpoints = new Map<string, EndpointInfo[]>()
    for (const key of services) {
      for (const p of this.#ports.get(key) ?? []) ports.push(p)
      for (const k of this.#endpointKeys.get(key) ?? []) endpoints.set(k, this.#endpoints.get(k)!)
    }
    return { services: ports.sort(comparePorts), endpoints }
  }
  // The current snapshot (shares the cache's arrays: read it, do not change it).
  snapshot(): ProxySnapshot {
    if (!this.#sorted) {
      this.#sorted = [...this.#ports.values()].flat().sort(comparePorts)
      this.#position.clear()
      this.#sorted.forEach((p, i) => this.#position.set(portId(p), i))
    }
    return { services: this.#sorted, endpoints: this.#endpoints }
  }
}

// Same identity (name and protocol) in the same place of the sorted order.
function samePort(a: ServicePortInfo, b: ServicePortInfo): boolean {
  return a.name === b.name && a.protocol === b.protocol
}

// A port's identity: name and protocol.
function portId(p: ServicePortInfo): string {
  return `${p.name}#${p.protocol}`
}
