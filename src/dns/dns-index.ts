// The narrow, read-only view of the cluster that answers are computed from.

/** A port of a Service or of an EndpointSlice. `port` is -1 when the object declares none (no SRV then). */
export interface DnsPort {
  name: string
  port: number
  protocol: string
}

/** A Service as DNS sees it. Names are the objects' own (lower case). */
export interface DnsService {
  name: string
  namespace: string
  type: string
  /** spec.clusterIPs (or [clusterIP]); empty for headless and ExternalName services. */
  clusterIPs: string[]
  headless: boolean
  /** spec.externalName for ExternalName services. */
  externalName?: string
  /** spec.ports, or one `-1` sentinel when there are none. */
  ports: DnsPort[]
}

/** One ready address of an EndpointSlice of a Service (an IP in two slices appears twice). */
export interface DnsEndpoint {
  ip: string
  /** endpoint.hostname, when set. */
  hostname?: string
  /** targetRef.name when it refers to a Pod. */
  podName?: string
  /** The slice's ports, or one `-1` sentinel when it has none. */
  ports: DnsPort[]
}

/** An endpoint found by IP, with the Service it belongs to. */
export interface EndpointOwner {
  namespace: string
  service: string
  endpoint: DnsEndpoint
}

/** What answers need to know about the cluster; implemented over informers and over manifests. */
export interface DnsIndex {
  // Whether every watched resource has been listed once.
  hasSynced(): boolean
  // Whether a namespace exists (lower-case name).
  namespaceExists(namespace: string): boolean
  // The Service ns/name (lower-case names), if any.
  service(namespace: string, name: string): DnsService | undefined
  // The ready addresses of a Service, across all its EndpointSlices.
  endpoints(namespace: string, name: string): DnsEndpoint[]
  // Services with this ClusterIP (canonical text), in a stable order.
  servicesByClusterIP(ip: string): DnsService[]
  // Ready endpoints with this IP (canonical text), with their Services.
  endpointsByIP(ip: string): EndpointOwner[]
  // Namespaces of the live pods whose status.podIPs hold this IP.
  podNamespacesByIP(ip: string): string[]
  // The SOA serial: Unix seconds of the last change seen.
  serial(): number
}
