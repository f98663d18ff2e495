// The fixed vocabularies of the step sentences, and turning their words into values (pure; used by parameter types).

/** The Service types a sentence may name. */
export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const

/** A Service type as a sentence names it. */
export type ServiceType = (typeof SERVICE_TYPES)[number]

/** The node names a sentence may use (kind's names, without the cluster prefix). */
export const NODE_NAMES = ['control-plane', 'worker', 'worker2'] as const

/** The protocols a sentence may name, in iptables' lower case or Kubernetes' upper case. */
export const PROTOCOLS = ['tcp', 'udp', 'sctp', 'TCP', 'UDP', 'SCTP'] as const

const UNITS: Record<string, number> = { millisecond: 1, second: 1000, minute: 60_000 }

// "10 seconds", "1 minute", "500 milliseconds" → milliseconds; throws on anything else.
export function parseDuration(text: string): number {
  const m = /^(\d+) (millisecond|second|minute)s?$/.exec(text.trim())
  if (!m)
    throw new Error(`"${text}" is not a duration such as "10 seconds", "2 minutes" or "500 milliseconds"`)
  return Number(m[1]) * UNITS[m[2]!]!
}

// "0.3333333333, 0.5000000000" → [0.3333333333, 0.5]; throws on anything that is not a probability.
export function parseProbabilities(text: string): number[] {
  const values = text.split(/,\s*/).map((p) => p.trim())
  const bad = values.filter((p) => !/^(?:0(?:\.\d+)?|1(?:\.0+)?)$/.test(p))
  if (bad.length > 0) throw new Error(`not probabilities between 0 and 1: ${bad.join(', ')} (in "${text}")`)
  return values.map(Number)
}

// The regexp source that matches exactly one of the words (longest first, so "worker2" is not read as "worker").
export function oneOf(words: readonly string[]): RegExp {
  const sorted = [...words].sort((a, b) => b.length - a.length)
  return new RegExp(sorted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'))
}
