// Jumps from built-in chains into kube-proxy's chains, ensured on every full sync (ensure-payload.ts), never part of
// the sync's own restore payload.
import { tokenize, type ParsedDump } from './restore-parse.ts'

/** One jump rule: `-t table -I from <args> -j to`. */
export interface JumpRule {
  table: 'filter' | 'nat'
  from: string
  to: string
  /** Full argument list after the chain name, ending in `-j to`. */
  args: string[]
}

// Builds the args of one jump: extra matches, optional comment, then the target.
function jump(
  table: 'filter' | 'nat',
  from: string,
  to: string,
  extra: string[],
  comment?: string,
): JumpRule {
  return {
    table,
    from,
    to,
    args: [...extra, ...(comment ? ['-m', 'comment', '--comment', comment] : []), '-j', to],
  }
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW']

/** upstream iptablesJumpChains followed by iptablesKubeletJumpChains, in upstream's order. */
export const JUMP_RULES: readonly JumpRule[] = [
  jump('filter', 'INPUT', 'KUBE-EXTERNAL-SERVICES', NEW, 'kubernetes externally-visible service portals'),
  jump('filter', 'FORWARD', 'KUBE-EXTERNAL-SERVICES', NEW, 'kubernetes externally-visible service portals'),
  jump('filter', 'INPUT', 'KUBE-NODEPORTS', [], 'kubernetes health check service ports'),
  jump('filter', 'FORWARD', 'KUBE-SERVICES', NEW, 'kubernetes service portals'),
  jump('filter', 'OUTPUT', 'KUBE-SERVICES', NEW, 'kubernetes service portals'),
  jump('filter', 'FORWARD', 'KUBE-FORWARD', [], 'kubernetes forwarding rules'),
  jump('filter', 'INPUT', 'KUBE-PROXY-FIREWALL', NEW, 'kubernetes load balancer firewall'),
  jump('filter', 'OUTPUT', 'KUBE-PROXY-FIREWALL', NEW, 'kubernetes load balancer firewall'),
  jump('filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', NEW, 'kubernetes load balancer firewall'),
  jump('nat', 'OUTPUT', 'KUBE-SERVICES', [], 'kubernetes service portals'),
  jump('nat', 'PREROUTING', 'KUBE-SERVICES', [], 'kubernetes service portals'),
  jump('nat', 'POSTROUTING', 'KUBE-POSTROUTING', [], 'kubernetes postrouting rules'),
  jump('filter', 'INPUT', 'KUBE-FIREWALL', []),
  jump('filter', 'OUTPUT', 'KUBE-FIREWALL', []),
]

// The jump rules an iptables-save of the tables does not show (token by token, as iptables-save prints them).
export function missingJumps(saved: ParsedDump): JumpRule[] {
  return JUMP_RULES.filter((j) => {
    const rules = saved.get(j.table)?.rules.get(j.from) ?? []
    return !rules.some((r) => {
      const tokens = tokenize(r)
      return tokens.length === j.args.length && tokens.every((t, i) => t === j.args[i])
    })
  })
}
