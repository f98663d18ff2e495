// The dual-stack proxy (upstream's meta proxier): one proxier per IP family, every informer event given to each;
// a proxier only keeps what is of its family (Service cluster IPs, EndpointSlices by addressType).
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node'
import type { ResourceHandler } from '../kube/resource-handler.ts'
import type { Proxier } from './proxier.ts'

// Hands every event of one resource to each proxier's handler of it.
function fanOut<T>(handlers: ResourceHandler<T>[]): ResourceHandler<T> {
  return {
    onAdd: (obj) => handlers.forEach((h) => h.onAdd(obj)),
    onUpdate: (oldObj, newObj) => handlers.forEach((h) => h.onUpdate(oldObj, newObj)),
    onDelete: (obj) => handlers.forEach((h) => h.onDelete(obj)),
    onSynced: () => handlers.forEach((h) => h.onSynced()),
  }
}

// Runs the proxiers of a node as one: the handlers the informers call, start and stop.
export class MetaProxier {
  readonly proxiers: readonly Proxier[]
  readonly nodeName: string
  readonly services: ResourceHandler<V1Service>
  readonly endpointSlices: ResourceHandler<V1EndpointSlice>
  readonly nodes: ResourceHandler<V1Node>
  // One proxier per family, the primary family first; all for the same node.
  constructor(proxiers: readonly Proxier[]) {
    const first = proxiers[0]
    if (!first) throw new Error('the meta proxier needs at least one proxier')
    this.proxiers = proxiers
    this.nodeName = first.nodeName
    this.services = fanOut(proxiers.map((p) => p.services))
    this.endpointSlices = fanOut(proxiers.map((p) => p.endpointSlices))
    this.nodes = fanOut(proxiers.map((p) => p.nodes))
  }
  // Starts every proxier's sync loop and canary monitor.
  start(): void {
    for (const p of this.proxiers) p.start()
  }
  // Stops them.
  stop(): void {
    for (const p of this.proxiers) p.stop()
  }
}
