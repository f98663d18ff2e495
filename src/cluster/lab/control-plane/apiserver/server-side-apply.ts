// Server-side apply, simplified: merge the applied configuration into the live object and record what the manager owns.
import type { KubeObject } from './store.ts'

/** FieldsV1 as stored in managedFields: `f:<field>` for fields, `k:<json key>` for list items, `.` for the item itself. */
export type FieldSet = { [key: string]: FieldSet }

/** One managedFields entry. */
export interface ManagedFieldsEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time: string
  fieldsType: 'FieldsV1'
  fieldsV1: FieldSet
  subresource?: string
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

// The keys that identify items of the associative lists the lab's kinds have (upstream's x-kubernetes-list-map-keys).
function listMapKeys(field: string, items: unknown[]): string[] | undefined {
  if (!items.every(isObj)) return undefined
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return ['name']
    case 'volumeMounts':
      return ['mountPath']
    case 'conditions':
      return ['type']
    case 'ports':
      return items.some((i) => 'containerPort' in i) ? ['containerPort', 'protocol'] : ['port', 'protocol']
  }
  return undefined
}

// The identity of a list item: its key fields as upstream writes them after `k:` (protocol defaults to TCP).
function itemKey(item: Obj, keys: string[]): string {
  const id: Obj = {}
  for (const k of keys) id[k] = item[k] ?? (k === 'protocol' ? 'TCP' : null)
  return `k:${JSON.stringify(id)}`
}

// The fields an applied configuration sets, in FieldsV1 form.
export function fieldSetOf(value: Obj): FieldSet {
  const set: FieldSet = {}
  for (const [k, v] of Object.entries(value)) {
    if (isObj(v)) set[`f:${k}`] = fieldSetOf(v)
    else if (Array.isArray(v)) {
      const keys = listMapKeys(k, v)
      const items: FieldSet = {}
      if (keys) for (const item of v as Obj[]) items[itemKey(item, keys)] = { '.': {}, ...fieldSetOf(item) }
      set[`f:${k}`] = items
    } else set[`f:${k}`] = {}
  }
  return set
}

// Merges applied into live: maps field by field, associative lists item by item, everything else replaced.
function merge(live: unknown, applied: unknown, field: string): unknown {
  if (isObj(live) && isObj(applied)) {
    const out: Obj = { ...live }
    for (const [k, v] of Object.entries(applied)) out[k] = merge(live[k], v, k)
    return out
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const keys = listMapKeys(field, applied)
    if (keys && live.every(isObj)) {
      const out = [...(live as Obj[])]
      for (const item of applied as Obj[]) {
        const at = out.findIndex((l) => itemKey(l, keys) === itemKey(item, keys))
        if (at >= 0) out[at] = merge(out[at], item, '') as Obj
        else out.push(item)
      }
      return out
    }
  }
  return applied
}

const isEmpty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0)
const isLeaf = (set: FieldSet) => Object.keys(set).every((k) => k === '.')

// Removes from obj what the manager owned before (prev) and no longer applies (next); a map or list it stops
// applying loses only the manager's entries, and goes once it is empty.
function removeDropped(obj: unknown, prev: FieldSet, next: FieldSet | undefined, field: string): void {
  for (const [key, sub] of Object.entries(prev)) {
    if (key === '.') continue
    const still = next?.[key]
    if (key.startsWith('f:') && isObj(obj)) {
      const name = key.slice(2)
      if (still) removeDropped(obj[name], sub, still, name)
      else if (isLeaf(sub)) delete obj[name]
      else {
        removeDropped(obj[name], sub, {}, name)
        if (isEmpty(obj[name])) delete obj[name]
      }
    } else if (key.startsWith('k:') && Array.isArray(obj)) {
      const keys = Object.keys(JSON.parse(key.slice(2)) as Obj)
      const at = obj.findIndex((i) => isObj(i) && itemKey(i, keys) === key)
      if (at < 0) continue
      if (!still) obj.splice(at, 1)
      else removeDropped(obj[at], sub, still, field)
    }
  }
}

// What a live object becomes when `manager` applies `applied`: merged, minus the fields the manager dropped.
export function applyConfiguration(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  now: string,
): KubeObject {
  const config = structuredClone(applied) as unknown as Obj & { metadata: Obj }
  delete config.status
  for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation'])
    delete config.metadata[k]
  const managed = (live?.metadata.managedFields ?? []) as unknown as ManagedFieldsEntry[]
  const mine = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === 'Apply'
  const entries = managed.filter((e) => !mine(e))
  const previous = managed.find(mine)
  const owned = fieldSetOf(config)
  // Upstream does not record the object's identity as owned.
  delete owned['f:apiVersion']
  delete owned['f:kind']
  const meta = owned['f:metadata']
  if (meta) {
    delete meta['f:name']
    delete meta['f:namespace']
    if (Object.keys(meta).length === 0) delete owned['f:metadata']
  }
  const base = live ? (structuredClone(live) as Obj) : {}
  const out = merge(base, config, '') as KubeObject
  if (previous) removeDropped(out, previous.fieldsV1, owned, '')
  out.metadata ??= {}
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: String(applied.apiVersion ?? ''),
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: owned,
  }
  out.metadata.managedFields = [...entries, entry] as unknown as KubeObject['metadata']['managedFields']
  return out
}
