// One service port's rendered lines, kept between syncs: a partial sync reuses the lines of unchanged services
// instead of rendering (and hashing) them again.
import type { EndpointInfo, ServicePortInfo } from '../snapshot.ts'
import type { ServiceRenderContext } from './render-context.ts'
import { renderServicePort } from './render-service.ts'
import { RuleBuffer } from './rule-buffer.ts'

/** Everything one service port contributes to a payload, as ready-joined text blocks (each line ends in \n). */
export interface PortRules {
  /** `ns/svc` (the unit of partial syncs). */
  service: string
  filterText: string
  filterCount: number
  /** KUBE-SERVICES / KUBE-NODEPORTS rules: written on every sync. */
  captureText: string
  captureCount: number
  /** Per-service chains (`:CHAIN - [0:0]` lines) and their rules: written only when the service changed. */
  chainLinesText: string
  chainRulesText: string
  chainRuleCount: number
  /** The per-service chain names (active chains; stale-chain cleanup keeps them). */
  chains: string[]
  noLocalInternal: boolean
  noLocalExternal: boolean
}

/** The proxier-wide settings a port's rules depend on (part of the cache key). */
export type PortSettings = Omit<ServiceRenderContext, 'filter' | 'nat' | 'serviceNat' | 'activeNatChains'>

// Renders one service port into its own buffers (pure).
export function renderPortRules(
  svc: ServicePortInfo,
  endpoints: readonly EndpointInfo[],
  settings: PortSettings,
): PortRules {
  const filter = new RuleBuffer()
  const nat = new RuleBuffer()
  const serviceNat = new RuleBuffer()
  const active = new Set<string>()
  const r = renderServicePort(
    { ...settings, filter, nat, serviceNat, activeNatChains: active },
    svc,
    endpoints,
  )
  return {
    service: svc.service,
    filterText: lines(filter.rules),
    filterCount: filter.rules.length,
    captureText: lines(nat.rules),
    captureCount: nat.rules.length,
    chainLinesText: lines(serviceNat.chains),
    chainRulesText: lines(serviceNat.rules),
    chainRuleCount: serviceNat.rules.length,
    chains: [...active],
    noLocalInternal: r.noLocalInternal,
    noLocalExternal: r.noLocalExternal,
  }
}

// Joins lines into a block where every line ends in a newline ("" for none).
export function lines(list: readonly string[]): string {
  return list.length ? list.join('\n') + '\n' : ''
}

/** Rendered ports of the previous sync and the settings they were rendered with. */
export class PortRulesCache {
  settingsKey = ''
  readonly byPort = new Map<string, PortRules>()
}
