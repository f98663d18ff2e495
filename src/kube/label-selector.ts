// Label selectors as text, the way kubectl prints them and the API's `labelSelector` parameter reads them.
import type { V1LabelSelector } from '@kubernetes/client-node'

// `k=v,k2=v2` for a map of labels (a Service's selector, matchLabels); '' when there are none.
export function selectorText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
}

// A LabelSelector object as text: matchLabels as `k=v`, then matchExpressions as `key in (a,b)`, `key exists`, …
export function labelSelectorText(sel: V1LabelSelector | undefined): string {
  const parts = selectorText(sel?.matchLabels)
  const exprs = (sel?.matchExpressions ?? []).map((e) => {
    const op = e.operator.toLowerCase()
    if (op === 'exists') return e.key
    if (op === 'doesnotexist') return `!${e.key}`
    return `${e.key} ${op === 'notin' ? 'notin' : op} (${(e.values ?? []).join(',')})`
  })
  return [parts, ...exprs].filter((p) => p !== '').join(',')
}
