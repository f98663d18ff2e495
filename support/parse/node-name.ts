// Which cluster node a feature means by "control-plane", "worker" or "worker2": the node of that name (or
// `<cluster>-<name>`, kind's and the lab's naming), else by role, so the same words work on any cluster.
import type { ClusterNode } from '../../src/cluster/provider.ts'

// The node a feature's node word names: by name first, else the control plane, or the first/second worker in
// name order; throws naming the word and the nodes when there is none.
export function resolveNodeWord(word: string, cluster: string, nodes: readonly ClusterNode[]): ClusterNode {
  const byName = nodes.find((n) => n.name === word || n.name === `${cluster}-${word}`)
  if (byName) return byName
  const role = /^(control-plane|worker)(\d*)$/.exec(word)
  const ofRole = nodes
    .filter((n) => n.role === (role?.[1] === 'worker' ? 'worker' : 'control-plane'))
    .sort((a, b) => a.name.localeCompare(b.name))
  const index = Math.max(Number(role?.[2] || 1), 1) - 1
  const node = role ? ofRole[index] : undefined
  if (!node) {
    const list = nodes.map((n) => `${n.name} (${n.role})`).join(', ')
    throw new Error(`no node "${word}" (by name or role); nodes are ${list}`)
  }
  return node
}
