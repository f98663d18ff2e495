// What the evidence hooks remember about a running scenario: every node's rules at its start, the step running now.
import type { SvcWorld } from '../world.ts'
import { DIFFED_TABLES, type RuleBaseline } from './rule-diff.ts'

const baselines = new WeakMap<SvcWorld, Map<string, RuleBaseline>>()
const steps = new WeakMap<SvcWorld, string>()

// Reads the nat and filter tables of every node (one command per node, all nodes at once) and keeps them.
export async function recordRuleBaselines(w: SvcWorld): Promise<void> {
  if (!w.cluster.capabilities.has('node-access')) return
  const script = DIFFED_TABLES.map((t) => `iptables-save -t ${t}`).join(' && ')
  const entries = await Promise.all(
    w.cluster.nodes.map(async (n): Promise<[string, RuleBaseline]> => {
      const at = new Date()
      try {
        return [n.name, { at, save: (await w.cluster.runOnNode(n.name, ['sh', '-c', script])).stdout }]
      } catch (err) {
        return [n.name, { at, save: { error: (err as Error).message } }]
      }
    }),
  )
  baselines.set(w, new Map(entries))
}

// The rules recorded for a node at the scenario start (undefined when none were).
export function ruleBaseline(w: SvcWorld, node: string): RuleBaseline | undefined {
  return baselines.get(w)?.get(node)
}

// Remembers the step that is about to run.
export function enterStep(w: SvcWorld, text: string): void {
  steps.set(w, text)
}

// The text of the step running now (or last run), '' before the first.
export function currentStep(w: SvcWorld): string {
  return steps.get(w) ?? ''
}
