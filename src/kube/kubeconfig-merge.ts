// Merging a cluster's kubeconfig into a user's (as `kind create cluster` does) and taking it out again.
import { parse, stringify } from 'yaml'

/** A named entry of a kubeconfig list (clusters, users, contexts). */
interface Named {
  name: string
  [field: string]: unknown
}

/** The parts of a kubeconfig this module touches; anything else is kept as it is. */
interface KubeconfigDoc {
  clusters?: Named[]
  users?: Named[]
  contexts?: Named[]
  'current-context'?: string
  [field: string]: unknown
}

const LISTS = ['clusters', 'users', 'contexts'] as const

// Reads kubeconfig text (empty text is an empty config); throws naming the source when it is not a kubeconfig.
function read(text: string | undefined, source: string): KubeconfigDoc {
  if (text === undefined || text.trim() === '') return { apiVersion: 'v1', kind: 'Config' }
  const doc = parse(text) as unknown
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${source} is not a kubeconfig`)
  const k = doc as KubeconfigDoc
  for (const list of LISTS) {
    const v = k[list]
    if (v === undefined || v === null) continue
    if (!Array.isArray(v) || v.some((e) => typeof (e as Named)?.name !== 'string')) {
      throw new Error(`${source}: ${list} must be a list of named entries`)
    }
  }
  return k
}

// Merges every cluster, user and context of `add` into `into` (same names are replaced) and makes add's context current.
export function mergeKubeconfig(into: string | undefined, add: string, source = 'kubeconfig'): string {
  const target = read(into, source)
  const extra = read(add, 'the lab kubeconfig')
  for (const list of LISTS) {
    const incoming = extra[list] ?? []
    const names = new Set(incoming.map((e) => e.name))
    target[list] = [...(target[list] ?? []).filter((e) => !names.has(e.name)), ...incoming]
  }
  if (extra['current-context']) target['current-context'] = extra['current-context']
  return stringify(target)
}

// Removes a context and the cluster and user it names; clears current-context when it was that context.
export function removeFromKubeconfig(text: string, context: string, source = 'kubeconfig'): string {
  const target = read(text, source)
  const ctx = target.contexts?.find((c) => c.name === context)
  const refs = (ctx?.context ?? {}) as { cluster?: string; user?: string }
  target.contexts = (target.contexts ?? []).filter((c) => c.name !== context)
  target.clusters = (target.clusters ?? []).filter((c) => c.name !== refs.cluster)
  target.users = (target.users ?? []).filter((u) => u.name !== refs.user)
  if (target['current-context'] === context) target['current-context'] = ''
  return stringify(target)
}
