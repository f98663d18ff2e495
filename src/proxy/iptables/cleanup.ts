// `svcnet proxy cleanup` (upstream `kube-proxy --cleanup`): unlink our jumps from the built-in chains, then flush
// and delete every chain we own, in one restore.
import { CANARY_CHAIN } from '../canary.ts'
import { isServiceChainName } from './chain-names.ts'
import { JUMP_RULES } from './jump-rules.ts'
import { chainsOfTable } from './restore-parse.ts'
import type { IptablesRunner } from './runner.ts'

/** Fixed chains the proxy owns per table (per-service nat chains are found by prefix). */
export const OWNED_CHAINS: Record<'filter' | 'nat' | 'mangle', readonly string[]> = {
  filter: [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
    'KUBE-FIREWALL',
    CANARY_CHAIN,
  ],
  nat: ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', CANARY_CHAIN],
  mangle: [CANARY_CHAIN],
}

// The restore payload that flushes and deletes the owned chains among those that exist (pure).
export function renderCleanup(existing: Record<'filter' | 'nat' | 'mangle', readonly string[]>): string {
  const out: string[] = []
  for (const table of ['filter', 'nat', 'mangle'] as const) {
    const have = new Set(existing[table])
    const owned = [...have].filter(
      (c) => OWNED_CHAINS[table].includes(c) || (table === 'nat' && isServiceChainName(c)),
    )
    if (owned.length === 0) continue
    owned.sort()
    out.push(`*${table}`, ...owned.map((c) => `:${c} - [0:0]`), ...owned.map((c) => `-X ${c}`), 'COMMIT')
  }
  return out.length ? out.join('\n') + '\n' : ''
}

// Removes every jump and chain the proxy owns; returns what was removed, for the log.
export async function cleanupRules(ipt: IptablesRunner): Promise<{ jumps: number; chains: number }> {
  let jumps = 0
  for (const j of JUMP_RULES) if (await ipt.deleteRule(j.table, j.from, j.args)) jumps++
  const existing = {
    filter: chainsOfTable(await ipt.save('filter'), 'filter'),
    nat: chainsOfTable(await ipt.save('nat'), 'nat'),
    mangle: chainsOfTable(await ipt.save('mangle'), 'mangle'),
  }
  const payload = renderCleanup(existing)
  if (payload) await ipt.restore(payload)
  return { jumps, chains: (payload.match(/^-X /gm) ?? []).length }
}
