// Label and field selectors: parse the API's string forms and LabelSelector objects into matchers.
import type { V1LabelSelector } from '@kubernetes/client-node'
import { badRequest } from './status-error.ts'

/** One parsed label requirement. */
export interface LabelRequirement {
  key: string
  op: 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt'
  values: string[]
}

/** Labels as found in metadata.labels (absent means none). */
export type Labels = Record<string, string> | undefined

const TOKEN = /\s*(\(|\)|,|==|=|!=|!|[A-Za-z0-9._/-]+|<|>)\s*/y

function tokenize(s: string): string[] {
  const out: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < s.length) {
    const at = TOKEN.lastIndex
    const m = TOKEN.exec(s)
    if (!m) throw badRequest(`unable to parse requirement: invalid label selector "${s}" at character ${at}`)
    out.push(m[1]!)
  }
  return out
}

const WORD = /^[A-Za-z0-9._/-]+$/

// Parses a label selector string (`a=b,c!=d,e in (f,g),h notin (i),j,!k`); throws a 400 StatusError when malformed.
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const toks = tokenize(selector)
  const reqs: LabelRequirement[] = []
  let i = 0
  const fail = (why: string): never => {
    throw badRequest(`unable to parse requirement: ${why} in label selector "${selector}"`)
  }
  const word = (what: string): string => {
    const t = toks[i++]
    if (t === undefined || !WORD.test(t))
      fail(`expected ${what}, found ${t === undefined ? 'end' : `"${t}"`}`)
    return t!
  }
  while (i < toks.length) {
    if (toks[i] === '!') {
      i++
      reqs.push({ key: word('a key after "!"'), op: '!exists', values: [] })
    } else {
      const key = word('a key')
      const op = toks[i]
      if (op === undefined || op === ',') {
        reqs.push({ key, op: 'exists', values: [] })
      } else if (op === '=' || op === '==' || op === '!=') {
        i++
        // An empty value is allowed: `a=` matches a label with the empty value.
        const next = toks[i]
        const value = next === undefined || next === ',' ? '' : word('a value')
        reqs.push({ key, op: op === '!=' ? 'notin' : 'in', values: [value] })
      } else if (op === '>' || op === '<') {
        i++
        const value = word('an integer value')
        if (!/^-?\d+$/.test(value)) fail(`"${value}" is not an integer`)
        reqs.push({ key, op: op === '>' ? 'gt' : 'lt', values: [value] })
      } else if (op === 'in' || op === 'notin') {
        i++
        if (toks[i++] !== '(') fail(`expected "(" after ${op}`)
        const values: string[] = []
        while (toks[i] !== ')') {
          if (toks[i] === undefined) fail('missing ")"')
          if (toks[i] === ',') {
            i++
            continue
          }
          values.push(word('a value'))
        }
        i++
        reqs.push({ key, op, values })
      } else {
        fail(`unexpected "${op}" after key "${key}"`)
      }
    }
    if (i < toks.length) {
      if (toks[i] !== ',') fail(`expected "," found "${toks[i]}"`)
      i++
    }
  }
  return reqs
}

// Whether labels satisfy every requirement.
export function matchesRequirements(reqs: LabelRequirement[], labels: Labels): boolean {
  const l = labels ?? {}
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key)
    const v = l[r.key]
    switch (r.op) {
      case 'in':
        return has && r.values.includes(v!)
      case 'notin':
        return !has || !r.values.includes(v!)
      case 'exists':
        return has
      case '!exists':
        return !has
      case 'gt':
        return has && /^-?\d+$/.test(v!) && Number(v) > Number(r.values[0])
      case 'lt':
        return has && /^-?\d+$/.test(v!) && Number(v) < Number(r.values[0])
    }
    return false
  })
}

// A matcher for a label selector string; empty or absent matches everything.
export function labelMatcher(selector: string | undefined): (labels: Labels) => boolean {
  if (!selector || !selector.trim()) return () => true
  const reqs = parseLabelSelector(selector)
  return (labels) => matchesRequirements(reqs, labels)
}

// Requirements of a LabelSelector object ({matchLabels, matchExpressions}); throws 400 on an unknown operator.
export function labelSelectorRequirements(sel: V1LabelSelector): LabelRequirement[] {
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: 'in' as const,
    values: [v],
  }))
  for (const e of sel.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' }[e.operator] as
      LabelRequirement['op'] | undefined
    if (!op) throw badRequest(`"${e.operator}" is not a valid label selector operator`)
    reqs.push({ key: e.key, op, values: e.values ?? [] })
  }
  return reqs
}

// A matcher for a LabelSelector object: undefined/null matches nothing, `{}` matches everything (as upstream).
export function labelSelectorMatcher(sel: V1LabelSelector | undefined | null): (labels: Labels) => boolean {
  if (!sel) return () => false
  const reqs = labelSelectorRequirements(sel)
  return (labels) => matchesRequirements(reqs, labels)
}

// Whether labels match a plain map selector (a Service's spec.selector); an empty or absent map matches nothing.
export function matchesSelectorMap(selector: Record<string, string> | undefined, labels: Labels): boolean {
  const entries = Object.entries(selector ?? {})
  if (entries.length === 0) return false
  return entries.every(([k, v]) => labels?.[k] === v)
}

// The string form of a LabelSelector object, for list/watch calls (`app=web,tier in (a,b)`).
export function labelSelectorToString(sel: V1LabelSelector): string {
  return labelSelectorRequirements(sel)
    .map((r) => {
      switch (r.op) {
        case 'in':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`
        case 'notin':
          return `${r.key} notin (${r.values.join(',')})`
        case 'exists':
          return r.key
        case '!exists':
          return `!${r.key}`
        default:
          return `${r.key}${r.op === 'gt' ? '>' : '<'}${r.values[0]}`
      }
    })
    .join(',')
}

/** One parsed field requirement: a dotted path compared with = or !=. */
export interface FieldRequirement {
  path: string
  op: '=' | '!='
  value: string
}

// Parses a field selector (`metadata.name=x,status.phase!=Running`); throws 400 when malformed.
export function parseFieldSelector(selector: string): FieldRequirement[] {
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^([A-Za-z0-9_.-]+)\s*(==|=|!=)\s*(.*)$/.exec(s)
      if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${s}'`)
      return { path: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! }
    })
}

// The string value of a dotted path in an object ('' when absent), as field selectors compare it.
export function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return ''
    cur = (cur as Record<string, unknown>)[part]
  }
  if (cur === undefined || cur === null) return ''
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur)
}

// A matcher for a field selector string; empty or absent matches everything.
export function fieldMatcher(selector: string | undefined): (obj: unknown) => boolean {
  if (!selector || !selector.trim()) return () => true
  const reqs = parseFieldSelector(selector)
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) === (r.op === '='))
}
