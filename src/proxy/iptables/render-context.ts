// Where one service port's rules go and the proxier-wide settings that shape them.
import type { RuleBuffer } from './rule-buffer.ts'
import type { IPFamily } from '../ip-family.ts'

/** Buffers and settings shared by the chain writers of one sync. */
export interface ServiceRenderContext {
  filter: RuleBuffer
  /** nat buffer for KUBE-SERVICES / KUBE-NODEPORTS rules (always written). */
  nat: RuleBuffer
  /** nat buffer for the per-service chains (a discard buffer when the service is unchanged in a partial sync). */
  serviceNat: RuleBuffer
  activeNatChains: Set<string>
  ipFamily: IPFamily
  /** `-s CIDR` of the local detector, or undefined when there is none. */
  clusterCIDR: string | undefined
  /** The node's IP of this family, if known. */
  nodeIP: string | undefined
  masqueradeAll: boolean
  localhostNodePortsNfacct: boolean
  /** Drop `-m comment` from SEP and SVC->SEP rules (more than 1000 endpoints). */
  largeCluster: boolean
}
