// PATCH bodies: JSON merge patch (RFC 7386), a practical strategic merge patch, and JSON patch (RFC 6902).
import type { Operation } from 'rfc6902'
import { apply } from 'rfc6902/patch.js'
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

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test'])

// Checks one operation's shape (RFC 6902 §4: op, path, and value or from where the op needs them); 400 when malformed.
function checkOperation(raw: unknown, index: number): Operation {
  const bad = (why: string) => badRequest(`json patch operation ${index}: ${why}: ${JSON.stringify(raw)}`)
  if (!isObj(raw)) throw bad('not an object')
  if (typeof raw.op !== 'string' || !OPS.has(raw.op)) throw bad('op must be one of ' + [...OPS].join(', '))
  const pointer = (key: 'path' | 'from') => {
    const v = raw[key]
    if (typeof v !== 'string' || (v !== '' && !v.startsWith('/')))
      throw bad(`${key} must be a JSON pointer ("" or starting with "/")`)
  }
  pointer('path')
  if (raw.op === 'move' || raw.op === 'copy') pointer('from')
  if ((raw.op === 'add' || raw.op === 'replace' || raw.op === 'test') && !Object.hasOwn(raw, 'value'))
    throw bad('value is required')
  return raw as unknown as Operation
}

// Applies an RFC 6902 JSON patch with the rfc6902 library, all or nothing: the first failing operation is a 422.
export function jsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be a JSON array of operations')
  const checked = ops.map(checkOperation)
  const doc = { root: structuredClone(target) }
  for (const [index, op] of checked.entries()) {
    // Operations address the document under a wrapper so that path "" (the whole document) works too.
    const under = (p: string) => `/root${p}`
    const wrapped = { ...op, path: under(op.path), ...('from' in op ? { from: under(op.from) } : {}) }
    const err = apply(doc, wrapped as Operation)
    if (err) {
      // The library's ES5 error classes fail instanceof; their name tells them apart.
      const detail =
        err.name === 'TestError' ? `test failed at "${op.path}"` : `path "${op.path}" does not exist`
      throw new StatusError(422, 'Invalid', `json patch operation ${index} (${op.op}): ${detail}`)
    }
  }
  return doc.root
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const

/** A patch type this server applies. */
export type PatchType = (typeof PATCH_TYPES)[number]

// The patch type a Content-Type names; 415 for server-side apply and unknown types (checked before the body is read).
export function patchType(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0]!.trim()
  if ((PATCH_TYPES as readonly string[]).includes(type)) return type as PatchType
  if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+cbor') {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      'server-side apply is not supported by the svcnet lab API server; use client-side apply',
    )
  }
  throw new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
  )
}

// Applies a patch body by Content-Type; throws 415 for unknown patch types.
export function applyPatch(contentType: string, target: Json, patch: unknown): Json {
  const type = patchType(contentType)
  if (type === 'application/merge-patch+json') return mergePatch(target, patch)
  if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(target, patch)
  return jsonPatch(target, patch)
}
