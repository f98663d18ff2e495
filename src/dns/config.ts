// What the answer function is configured with: the zone, TTL, pod mode and the server's own identity.
import type { FlagSpec, ParsedCommand } from '../flags/command.ts'

/** How `<dashed-ip>.<ns>.pod.<zone>` is answered (CoreDNS's `pods` option). */
export type PodMode = 'disabled' | 'insecure' | 'verified'

/** Answer configuration (kind's default Corefile unless said otherwise). */
export interface AnswerConfig {
  /** The cluster domain, lower case, no trailing dot. @default "cluster.local" */
  zone: string
  /** TTL of every record but dns-version (28800); the negative SOA's TTL is min(ttl, 300). @default 30 */
  ttl: number
  /** @default "insecure" (kubeadm/kind; CoreDNS's own default is "disabled") */
  pods: PodMode
  /** Endpoints without a hostname are named after their pod (targetRef.name) instead of their dashed IP. @default false */
  endpointPodNames: boolean
  /** Reverse names that match nothing are forwarded (`fallthrough in-addr.arpa ip6.arpa`) instead of NXDOMAIN. @default true */
  reverseFallthrough: boolean
  /** This server's own IPs: the apex NS names the Service whose endpoints hold one of them. @default [] */
  selfIPs: string[]
}

/** Defaults: kind's Corefile (`pods insecure`, `ttl 30`, `fallthrough in-addr.arpa ip6.arpa`). */
export const DEFAULT_ANSWER_CONFIG: AnswerConfig = {
  zone: 'cluster.local',
  ttl: 30,
  pods: 'insecure',
  endpointPodNames: false,
  reverseFallthrough: true,
  selfIPs: [],
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

// Every problem with a config (empty when valid).
export function validateAnswerConfig(c: AnswerConfig): string[] {
  const problems: string[] = []
  const zone = c.zone.replace(/\.$/, '')
  if (!zone || zone.length > 253 || !zone.split('.').every((l) => LABEL.test(l)))
    problems.push(`zone ${JSON.stringify(c.zone)} is not a lower-case domain name`)
  if (!Number.isInteger(c.ttl) || c.ttl < 0 || c.ttl > 3600)
    problems.push(`ttl ${c.ttl} is out of range: want an integer from 0 to 3600`)
  if (!['disabled', 'insecure', 'verified'].includes(c.pods))
    problems.push(`pods ${JSON.stringify(c.pods)}: want disabled, insecure or verified`)
  return problems
}

/** The flags `dns serve` and `dns query` both take to configure answers. */
export const ANSWER_FLAGS: Record<string, FlagSpec> = {
  zone: {
    type: 'string',
    value: 'ZONE',
    description: 'the cluster domain',
    default: DEFAULT_ANSWER_CONFIG.zone,
  },
  ttl: { type: 'number', description: 'TTL of the records (0-3600)', default: DEFAULT_ANSWER_CONFIG.ttl },
  pods: {
    type: 'string',
    value: 'MODE',
    description: 'pod records: insecure, disabled or verified',
    default: 'insecure',
  },
  'endpoint-pod-names': {
    type: 'boolean',
    description: 'name endpoints without a hostname after their pod',
  },
}

// The answer config of parsed ANSWER_FLAGS; the fields they do not set come from `rest`, else the defaults.
export function answerConfigFromFlags(
  flags: ParsedCommand['flags'],
  rest: Partial<AnswerConfig> = {},
): AnswerConfig {
  return {
    ...DEFAULT_ANSWER_CONFIG,
    ...rest,
    zone: String(flags.zone).toLowerCase().replace(/\.$/, ''),
    ttl: Number(flags.ttl),
    pods: String(flags.pods) as PodMode,
    endpointPodNames: flags['endpoint-pod-names'] === true,
  }
}
