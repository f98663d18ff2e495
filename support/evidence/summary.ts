// The first attachment of a failure: what the evidence below it shows, in a few plain lines (pure).
import type { ProbeRecord } from '../world.ts'
import { probeFailed } from './request-trace.ts'

/** What the summary is made from; each part is optional (a piece that could not be read is left out). */
export interface EvidenceFacts {
  /** The failing step's text. */
  step: string
  probes: readonly ProbeRecord[]
  /** Trace attachments: their name and text. */
  traces: ReadonlyArray<{ name: string; text: string }>
  /** Rule diff attachments per node: the report text. */
  diffs: ReadonlyArray<{ node: string; text: string }>
  /** The scenario's Service and its endpoints, when it has one. */
  service?: { name: string; ready: string[]; notReady: number }
  /** kube-system components: pods and how many are ready. */
  components: ReadonlyArray<{ name: string; pods: number; ready: number }>
}

// The requests in one line: how many, how many failed, and the failed ones by sender and URL.
function requestLine(probes: readonly ProbeRecord[]): string | undefined {
  if (probes.length === 0) return undefined
  const made = probes.reduce((n, p) => n + p.times, 0)
  const failed = new Map<string, number>()
  for (const p of probes.filter(probeFailed)) {
    const key = `${p.from} → ${p.url.replace(/\?.*$/, '')}`
    failed.set(key, (failed.get(key) ?? 0) + p.times)
  }
  const count = [...failed.values()].reduce((a, b) => a + b, 0)
  if (count === 0) return `requests: ${made} made, none failed`
  const list = [...failed].map(([k, n]) => `${k} (${n})`).join(', ')
  return `requests: ${made} made, ${count} failed: ${list}`
}

// What changed in each node's rules, from the diff reports: nodes grouped by their change.
function rulesLine(diffs: EvidenceFacts['diffs']): string | undefined {
  if (diffs.length === 0) return undefined
  const byChange = new Map<string, string[]>()
  for (const d of diffs) {
    const counted = /(\d+ rules? added, \d+ removed)/.exec(d.text)?.[1]
    const change = counted ?? (/no rule changed/.test(d.text) ? 'unchanged' : 'not compared (see its diff)')
    byChange.set(change, [...(byChange.get(change) ?? []), d.node])
  }
  return `iptables rules since the scenario start: ${[...byChange].map(([c, nodes]) => `${nodes.join(', ')} ${c}`).join('; ')}`
}

// The summary text.
export function evidenceSummary(f: EvidenceFacts): string {
  const lines = [
    `What the evidence below shows (each attachment has the details):`,
    `- failed step: "${f.step}"`,
    requestLine(f.probes),
    ...f.traces.map((t) => {
      const dest =
        /^destinations: (.*)$/m.exec(t.text)?.[1] ?? /could not .*|has no nat table at all/m.exec(t.text)?.[0]
      return `${t.name.replace(/\.txt$/, '')}: ${dest ?? 'see the trace'}`
    }),
    rulesLine(f.diffs),
    f.service &&
      `service ${f.service.name}: ${f.service.ready.length} ready endpoints${f.service.ready.length ? ` (${f.service.ready.join(', ')})` : ''}${f.service.notReady ? `, ${f.service.notReady} not ready` : ''}`,
    f.components.length > 0 &&
      `kube-system: ${f.components.map((c) => `${c.name} ${c.pods} pod${c.pods === 1 ? '' : 's'}, ${c.ready} ready`).join('; ')}`,
  ]
  return (
    lines
      .filter((l): l is string => typeof l === 'string' && l !== '')
      .map((l, i) => (i < 2 || l.startsWith('- ') ? l : `- ${l}`))
      .join('\n') + '\n'
  )
}
