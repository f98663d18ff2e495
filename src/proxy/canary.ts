// Noticing that someone flushed our rules: upstream's KUBE-PROXY-CANARY chains, plus a check of the nat jump into
// KUBE-SERVICES (an `iptables -t nat -F` empties chains without deleting them, so the canary alone misses it).
import type { IptablesRunner } from './iptables/runner.ts'
import { JUMP_RULES } from './iptables/jump-rules.ts'

/** The empty chain whose disappearance means iptables was reset (upstream's canary). */
export const CANARY_CHAIN = 'KUBE-PROXY-CANARY'

/** Tables the canary lives in, in upstream's order. */
export const CANARY_TABLES = ['mangle', 'nat', 'filter'] as const

// Says why our rules look lost (a canary chain is gone, or nat PREROUTING no longer jumps to KUBE-SERVICES), or
// undefined when they look intact.
export async function rulesLost(iptables: IptablesRunner): Promise<string | undefined> {
  for (const table of CANARY_TABLES) {
    if (!(await iptables.chainExists(table, CANARY_CHAIN)))
      return `canary chain ${CANARY_CHAIN} is gone from the ${table} table`
  }
  const jump = JUMP_RULES.find((j) => j.table === 'nat' && j.from === 'PREROUTING')
  if (jump && !(await iptables.ruleExists(jump.table, jump.from, jump.args)))
    return `nat ${jump.from} no longer jumps to ${jump.to}`
  return undefined
}
