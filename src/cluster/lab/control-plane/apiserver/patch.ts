// PATCH bodies: JSON merge patch (RFC 7386), a practical strategic merge patch, and JSON patch (RFC 6902).
import { StatusError, badRequest } from './status-error.ts'

type Json = unknown
type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

// Applies an RFC 7386 merge patch: objects merge recursively, null deletes, everything else replaces.
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch)
  const out: Obj = isObj(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

// The merge key strategic merge patch uses for a list field, or undefined when the list is replaced.
function mergeKey(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name'
    case 'volumeMounts':
      return 'mountPath'
    case 'conditions':
      return 'type'
    case 'hostAliases':
      return 'ip'
    case 'ports':
      return items.some((i) => isObj(i) && 'containerPort' in i) ? 'containerPort' : 'port'
    default:
      return undefined
  }
}

// Applies a strategic merge patch: like a merge patch, but lists of containers, ports, env… merge by their key.
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch)
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch
    return structuredClone(rest)
  }
  if (patch.$patch === 'delete') return undefined
  const out: Obj = isObj(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue // $setElementOrder/…, $retainKeys, $deleteFromPrimitiveList/… are ordering hints
    if (v === null) {
      delete out[k]
      continue
    }
    const cur = out[k]
    if (Array.isArray(v)) {
      const key = mergeKey(k, [...v, ...(Array.isArray(cur) ? cur : [])])
      out[k] = key && Array.isArray(cur) ? mergeList(cur, v, key) : structuredClone(v)
    } else {
      const merged = strategicMergePatch(cur, v)
      if (merged === undefined) delete out[k]
      else out[k] = merged
    }
  }
  return out
}

function mergeList(cur: unknown[], patch: unknown[], key: string): unknown[] {
  const out = [...cur]
  for (const item of patch) {
    if (!isObj(item) || !(key in item)) {
      out.push(structuredClone(item))
      continue
    }
    const at = out.findIndex((o) => isObj(o) && o[key] === item[key])
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1)
    } else if (at >= 0) {
      out[at] = strategicMergePatch(out[at], item)
    } else {
      out.push(strategicMergePatch({}, item))
    }
  }
  return out
}

interface Op {
  op: string
  path: string
  value?: unknown
  from?: string
}

function pointer(path: string): string[] {
  if (path === '') return []
  if (!path.startsWith('/')) throw badRequest(`json patch path "${path}" must start with "/"`)
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function parentOf(doc: Json, parts: string[], path: string): { parent: Obj | unknown[]; last: string } {
  let cur: unknown = doc
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined
    if (cur === undefined) throw new StatusError(422, 'Invalid', `json patch: path "${path}" does not exist`)
  }
  if (!Array.isArray(cur) && !isObj(cur))
    throw new StatusError(422, 'Invalid', `json patch: path "${path}" does not exist`)
  return { parent: cur, last: parts[parts.length - 1]! }
}

function getAt(doc: Json, path: string): unknown {
  let cur: unknown = doc
  for (const p of pointer(path)) cur = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined
  if (cur === undefined) throw new StatusError(422, 'Invalid', `json patch: path "${path}" does not exist`)
  return cur
}

function removeAt(doc: Json, path: string): unknown {
  const { parent, last } = parentOf(doc, pointer(path), path)
  if (Array.isArray(parent)) {
    const i = Number(last)
    if (!(i >= 0 && i < parent.length))
      throw new StatusError(422, 'Invalid', `json patch: index ${last} out of range in "${path}"`)
    return parent.splice(i, 1)[0]
  }
  if (!(last in parent)) throw new StatusError(422, 'Invalid', `json patch: path "${path}" does not exist`)
  const v = parent[last]
  delete parent[last]
  return v
}

function addAt(doc: Json, path: string, value: unknown, replace: boolean): Json {
  const parts = pointer(path)
  if (parts.length === 0) return structuredClone(value)
  const { parent, last } = parentOf(doc, parts, path)
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last)
    if (!(i >= 0 && i <= parent.length))
      throw new StatusError(422, 'Invalid', `json patch: index ${last} out of range in "${path}"`)
    if (replace) parent[i] = structuredClone(value)
    else parent.splice(i, 0, structuredClone(value))
  } else {
    if (replace && !(last in parent))
      throw new StatusError(422, 'Invalid', `json patch: path "${path}" does not exist`)
    parent[last] = structuredClone(value)
  }
  return doc
}

// Applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test).
export function jsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be a JSON array of operations')
  let doc = structuredClone(target)
  for (const raw of ops as Op[]) {
    if (!isObj(raw) || typeof raw.path !== 'string')
      throw badRequest(`invalid json patch operation ${JSON.stringify(raw)}`)
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value, false)
        break
      case 'replace':
        doc = addAt(doc, raw.path, raw.value, true)
        break
      case 'remove':
        removeAt(doc, raw.path)
        break
      case 'move':
        doc = addAt(doc, raw.path, removeAt(doc, raw.from ?? ''), false)
        break
      case 'copy':
        doc = addAt(doc, raw.path, getAt(doc, raw.from ?? ''), false)
        break
      case 'test':
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value)) {
          throw new StatusError(422, 'Invalid', `json patch: test failed at "${raw.path}"`)
        }
        break
      default:
        throw badRequest(`unsupported json patch operation ${JSON.stringify(raw.op)}`)
    }
  }
  return doc
}

// Applies a patch body by Content-Type; throws 415 for unknown patch types.
export function applyPatch(contentType: string, target: Json, patch: unknown): Json {
  const type = contentType.split(';')[0]!.trim()
  if (type === 'application/merge-patch+json') return mergePatch(target, patch)
  if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(target, patch)
  if (type === 'application/json-patch+json') return jsonPatch(target, patch)
  if (type === 'application/apply-patch+yaml') {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      'server-side apply is not supported by the svcnet lab API server; use client-side apply',
    )
  }
  throw new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
  )
}
