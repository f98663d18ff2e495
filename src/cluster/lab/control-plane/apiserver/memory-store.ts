// The in-memory object store: one global resourceVersion, admission on every write, ordered watches with history.
import { randomUUID } from 'node:crypto'
import type { Admission } from './admission.ts'
import { defaultAdmission } from './default-admission.ts'
import { validateObjectMeta } from './object-meta.ts'
import { checkObjectShape } from './object-shape.ts'
import { RESOURCES, type ResourceInfo } from './resources.ts'
import { fieldMatcher, labelMatcher } from './selector.ts'
import { StoreBudget, type StoreBudgetLimits } from './store-budget.ts'
import { StatusError, alreadyExists, badRequest, conflict, gone, invalid, notFound } from './status-error.ts'
import type { DeleteOptions, KubeObject, ListOptions, ResourceName, Store, WatchEvent } from './store.ts'
import { objectKey } from '../../../../kube/object-key.ts'
import { apiTime } from '../../../../kube/time.ts'

/** Options for a MemoryStore. */
export interface MemoryStoreOptions {
  /** How many events are kept for watch resume; older resourceVersions get 410 Gone. @default 10000 */
  historyWindow?: number
  /** Defaulting/validation/allocation hooks per resource; `{}` stores objects as given. @default defaultAdmission({serviceCIDR, nodePortRange}) */
  admission?: Admission
  /** ClusterIP range for the default admission. @default '10.96.0.0/16' */
  serviceCIDR?: string
  /** Node port range for the default admission, `min-max`. @default '30000-32767' */
  nodePortRange?: string
  /** Namespaces created at construction. @default ['default', 'kube-system', 'kube-public', 'kube-node-lease'] */
  namespaces?: string[]
  /** The clock, for creation and deletion timestamps. @default () => new Date() */
  now?: () => Date
  /** Serialized bytes of events kept for watch resume (besides their count). @default 64 MiB */
  historyBytes?: number
  /** Object size and total size limits. @default 1.5 MiB and 256 MiB */
  budget?: StoreBudgetLimits
}

interface HistoryEntry {
  rv: number
  resource: ResourceName
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  object: KubeObject
  /** The object before a MODIFIED, so filtered watches can turn it into ADDED/DELETED. */
  old?: KubeObject
  /** Serialized size of object and old, for the history's byte limit. */
  bytes: number
}

interface Watcher {
  resource: ResourceName
  matches: (obj: KubeObject) => boolean
  onEvent: (event: WatchEvent) => void
  stopped: boolean
}

// The finalizer of an object deleted with propagationPolicy Foreground.
export const FOREGROUND_FINALIZER = 'foregroundDeletion'

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789'

const clone = <T>(v: T): T => structuredClone(v)

// Drops metadata and status so two objects can be compared for a generation bump.
function specPart(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj
  return JSON.stringify(rest)
}

// An in-memory Store with the real API server's resourceVersion, watch, graceful-delete and finalizer semantics.
export class MemoryStore implements Store {
  private readonly objects = new Map<ResourceName, Map<string, KubeObject>>()
  private readonly history: HistoryEntry[] = []
  private readonly historyWindow: number
  private readonly admission: Admission
  private readonly now: () => Date
  private readonly watchers = new Set<Watcher>()
  private readonly queue: HistoryEntry[] = []
  private delivering = false
  private rv = 0
  private readonly budget: StoreBudget
  private readonly historyMaxBytes: number
  private historyBytes = 0
  /** The lowest resourceVersion a watch may resume from. */
  private oldestResumable = 0

  constructor(opts: MemoryStoreOptions = {}) {
    this.historyWindow = opts.historyWindow ?? 10000
    this.historyMaxBytes = opts.historyBytes ?? 64 * 1024 * 1024
    this.budget = new StoreBudget(opts.budget)
    this.admission =
      opts.admission ??
      defaultAdmission({
        ...(opts.serviceCIDR ? { serviceCIDR: opts.serviceCIDR } : {}),
        ...(opts.nodePortRange ? { nodePortRange: opts.nodePortRange } : {}),
      })
    this.now = opts.now ?? (() => new Date())
    for (const r of Object.keys(RESOURCES) as ResourceName[]) this.objects.set(r, new Map())
    for (const ns of opts.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })
    }
  }

  /** The store's current resourceVersion. */
  get resourceVersion(): string {
    return String(this.rv)
  }

  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.table(resource).get(this.key(RESOURCES[resource], namespace, name))
    return o && clone(o)
  }

  list(resource: ResourceName, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const matches = this.matcher(resource, opts)
    const items = [...this.table(resource).values()].filter(matches).map(clone)
    items.sort((a, b) => this.sortKey(a).localeCompare(this.sortKey(b)))
    return { items, resourceVersion: String(this.rv) }
  }

  create(resource: ResourceName, input: KubeObject): KubeObject {
    const info = RESOURCES[resource]
    const obj = this.normalize(info, input)
    const meta = obj.metadata
    const metaErrs = validateObjectMeta(resource, obj, true)
    if (metaErrs.length) throw invalid(info.kind, info.group, meta.name ?? meta.generateName ?? '', metaErrs)
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix()
    const name = meta.name
    if (!name) {
      throw invalid(info.kind, info.group, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'metadata.name: Required value: name or generateName is required',
        },
      ])
    }
    const ns = this.checkNamespace(info, meta.namespace, name, true)
    const key = this.key(info, ns, name)
    if (this.table(resource).has(key)) throw alreadyExists(resource, info.group, name)
    this.budget.check(info, key, name, JSON.stringify(obj).length)
    if (info.namespaced) meta.namespace = ns
    else delete meta.namespace
    meta.uid = randomUUID()
    meta.creationTimestamp = apiTime(this.now())
    meta.generation = 1
    delete meta.deletionTimestamp
    delete meta.deletionGracePeriodSeconds
    if (resource === 'namespaces') {
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec as object | undefined) }
      obj.status = { phase: 'Active' }
    }
    this.admission[resource]?.create?.(obj)
    return this.store(resource, key, obj, 'ADDED')
  }

  update(
    resource: ResourceName,
    input: KubeObject,
    opts: { subresource?: 'status' | 'scale' } = {},
  ): KubeObject {
    const info = RESOURCES[resource]
    const obj = this.normalize(info, input)
    const name = obj.metadata.name ?? ''
    const metaErrs = validateObjectMeta(resource, obj, false)
    if (metaErrs.length) throw invalid(info.kind, info.group, name, metaErrs)
    const ns = this.checkNamespace(info, obj.metadata.namespace, name, false)
    const key = this.key(info, ns, name)
    const old = this.table(resource).get(key)
    if (!old) throw notFound(resource, info.group, name)
    this.budget.check(info, key, name, JSON.stringify(obj).length)
    const wantRv = obj.metadata.resourceVersion
    if (wantRv && wantRv !== old.metadata.resourceVersion) throw conflict(resource, info.group, name)
    let next: KubeObject
    if (opts.subresource === 'status') {
      next = { ...clone(old), status: obj.status }
    } else if (opts.subresource === 'scale') {
      const replicas = (obj.spec as { replicas?: number } | undefined)?.replicas
      if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
        throw invalid('Scale', 'autoscaling', name, [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.replicas',
            message: `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
          },
        ])
      }
      next = clone(old)
      next.spec = { ...(old.spec as object), replicas }
    } else {
      next = obj
      if ('status' in old) next.status = clone(old.status)
      else delete next.status
      const m = next.metadata
      const om = old.metadata
      m.uid = om.uid
      m.creationTimestamp = om.creationTimestamp
      m.generation = om.generation
      if (om.namespace !== undefined) m.namespace = om.namespace
      if (om.deletionTimestamp) {
        m.deletionTimestamp = om.deletionTimestamp
        m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds
      } else {
        delete m.deletionTimestamp
        delete m.deletionGracePeriodSeconds
      }
    }
    if (specPart(next) !== specPart(old)) next.metadata.generation = (old.metadata.generation ?? 1) + 1
    if (opts.subresource === undefined) this.admission[resource]?.update?.(next, clone(old))
    // An object marked for deletion goes away once its last finalizer is removed (unless a graceful pod delete is pending).
    if (
      old.metadata.deletionTimestamp &&
      !next.metadata.finalizers?.length &&
      !this.awaitsGrace(resource, next)
    ) {
      return this.remove(resource, key, next)
    }
    return this.store(resource, key, next, 'MODIFIED', old)
  }

  delete(
    resource: ResourceName,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): KubeObject {
    const info = RESOURCES[resource]
    const key = this.key(info, info.namespaced ? namespace : undefined, name)
    const old = this.table(resource).get(key)
    if (!old) throw notFound(resource, info.group, name)
    const grace = this.gracePeriod(resource, old, opts)
    const marked = old.metadata.deletionTimestamp !== undefined
    // Foreground: the object stays, marked, with the foregroundDeletion finalizer; the garbage collector removes the
    // finalizer once the dependents that block it are gone (controllers/garbage-collector.ts).
    const foreground = opts.propagationPolicy === 'Foreground' && !marked && resource !== 'namespaces'
    const hasFinalizers = (old.metadata.finalizers?.length ?? 0) > 0 || foreground
    // Namespaces are only marked (Terminating); the namespace controller removes them with gracePeriodSeconds 0.
    const keep =
      resource === 'namespaces'
        ? !marked || opts.gracePeriodSeconds !== 0 || hasFinalizers
        : grace > 0 || hasFinalizers
    if (keep) {
      const next = clone(old)
      const m = next.metadata
      if (foreground && !m.finalizers?.includes(FOREGROUND_FINALIZER))
        m.finalizers = [...(m.finalizers ?? []), FOREGROUND_FINALIZER]
      if (!marked) {
        m.deletionTimestamp = apiTime(new Date(this.now().getTime() + grace * 1000))
        m.deletionGracePeriodSeconds = grace
        if (resource === 'namespaces') next.status = { ...(next.status as object), phase: 'Terminating' }
      } else if (grace < (m.deletionGracePeriodSeconds ?? 0)) {
        m.deletionGracePeriodSeconds = grace
      } else {
        return clone(old)
      }
      return this.store(resource, key, next, 'MODIFIED', old)
    }
    const removed = this.remove(resource, key, old)
    if (opts.propagationPolicy === 'Orphan') this.orphanDependents(removed)
    return removed
  }

  watch(
    resource: ResourceName,
    opts: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
  ): () => void {
    const matches = this.matcher(resource, opts)
    const watcher: Watcher = { resource, matches, onEvent, stopped: false }
    const rvText = opts.resourceVersion
    if (rvText !== undefined && rvText !== '') {
      if (!/^\d+$/.test(rvText)) throw badRequest(`invalid resource version "${rvText}"`)
      const from = Number(rvText)
      if (from === 0) {
        for (const o of this.list(resource, opts).items) onEvent({ type: 'ADDED', object: o })
      } else {
        if (from < this.oldestResumable) {
          throw gone(`too old resource version: ${from} (${this.oldestResumable})`)
        }
        for (const e of this.history) {
          if (e.rv > from && e.resource === resource) this.deliver(watcher, e)
        }
      }
    }
    this.watchers.add(watcher)
    return () => {
      watcher.stopped = true
      this.watchers.delete(watcher)
    }
  }

  // Final removal: drop the object, release what admission allocated, emit DELETED.
  private remove(resource: ResourceName, key: string, obj: KubeObject): KubeObject {
    this.table(resource).delete(key)
    const info = RESOURCES[resource]
    const bytes = this.budget.sizeOf(info, key)
    this.budget.delete(info, key)
    const gone = clone(obj)
    gone.metadata.resourceVersion = String(++this.rv)
    this.admission[resource]?.release?.(gone)
    this.emit({ rv: this.rv, resource, type: 'DELETED', object: gone, bytes })
    return clone(gone)
  }

  private store(
    resource: ResourceName,
    key: string,
    obj: KubeObject,
    type: 'ADDED' | 'MODIFIED',
    old?: KubeObject,
  ): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv)
    const info = RESOURCES[resource]
    const oldBytes = this.budget.sizeOf(info, key)
    const bytes = JSON.stringify(obj).length
    this.budget.set(info, key, bytes)
    this.table(resource).set(key, obj)
    this.emit({ rv: this.rv, resource, type, object: obj, bytes: bytes + oldBytes, ...(old ? { old } : {}) })
    return clone(obj)
  }

  // Records an event and delivers it to watchers in order, even when a watcher writes from its callback.
  private emit(entry: HistoryEntry): void {
    this.history.push(entry)
    this.historyBytes += entry.bytes
    while (this.history.length > this.historyWindow || this.historyBytes > this.historyMaxBytes) {
      const dropped = this.history.shift()!
      this.historyBytes -= dropped.bytes
      this.oldestResumable = dropped.rv
    }
    this.queue.push(entry)
    if (this.delivering) return
    this.delivering = true
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        for (const w of [...this.watchers]) if (w.resource === e.resource) this.deliver(w, e)
      }
    } finally {
      this.delivering = false
    }
  }

  // Sends one event to one watcher, turning MODIFIED into ADDED/DELETED when the object enters/leaves its filter.
  private deliver(w: Watcher, e: HistoryEntry): void {
    if (w.stopped) return
    const now = w.matches(e.object)
    const before = e.type === 'MODIFIED' && e.old ? w.matches(e.old) : now
    let type: WatchEvent['type'] = e.type
    if (e.type === 'MODIFIED' && now !== before) type = now ? 'ADDED' : 'DELETED'
    if (!now && !before) return
    if (e.type !== 'MODIFIED' && !now) return
    w.onEvent({ type, object: clone(e.object) })
  }

  private gracePeriod(resource: ResourceName, obj: KubeObject, opts: DeleteOptions): number {
    if (resource !== 'pods') return 0
    const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined
    const phase = (obj.status as { phase?: string } | undefined)?.phase
    if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0
    return Math.max(0, opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30)
  }

  // A pod marked for graceful deletion (and any terminating namespace) stays until deleted with grace 0.
  private awaitsGrace(resource: ResourceName, obj: KubeObject): boolean {
    if (resource === 'namespaces') return true
    return resource === 'pods' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0
  }

  // Orphan propagation: dependents lose their reference to the removed owner. Background and Foreground
  // deletion of dependents is the garbage collector's job (controllers/garbage-collector.ts), as upstream.
  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid
    for (const [resource, table] of this.objects) {
      for (const o of [...table.values()]) {
        const refs = o.metadata.ownerReferences ?? []
        if (!refs.some((r) => r.uid === uid)) continue
        const next = clone(o)
        next.metadata.ownerReferences = refs.filter((r) => r.uid !== uid)
        this.update(resource, next)
      }
    }
  }

  // Copies the input (turning Dates into strings), checks its field types and fills in apiVersion/kind.
  private normalize(info: ResourceInfo, input: KubeObject): KubeObject {
    if (!input || typeof input !== 'object' || Array.isArray(input))
      throw badRequest(`${info.kind} body must be a JSON object`)
    const obj = JSON.parse(JSON.stringify(input)) as KubeObject
    checkObjectShape(info.resource, info.kind, info.apiVersion, obj)
    obj.apiVersion = info.apiVersion
    obj.kind = info.kind
    obj.metadata = obj.metadata ?? {}
    return obj
  }

  // Checks the namespace of a namespaced object: required, must exist, and (for creates) must not be terminating.
  private checkNamespace(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    creating: boolean,
  ): string | undefined {
    if (!info.namespaced) return undefined
    if (!namespace)
      throw badRequest(`the namespace of the provided object is empty (${info.resource} "${name}")`)
    const ns = this.table('namespaces').get(namespace)
    if (!ns) throw notFound('namespaces', '', namespace)
    if (creating && ns.metadata.deletionTimestamp) {
      throw new StatusError(
        403,
        'Forbidden',
        `${info.resource}${info.group ? `.${info.group}` : ''} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name,
          group: info.group,
          kind: info.resource,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      )
    }
    return namespace
  }

  private matcher(resource: ResourceName, opts: ListOptions): (obj: KubeObject) => boolean {
    const labels = labelMatcher(opts.labelSelector)
    const fields = fieldMatcher(opts.fieldSelector)
    const ns = RESOURCES[resource].namespaced ? opts.namespace : undefined
    return (o) => (!ns || o.metadata.namespace === ns) && labels(o.metadata.labels) && fields(o)
  }

  private table(resource: ResourceName): Map<string, KubeObject> {
    const t = this.objects.get(resource)
    if (!t) throw notFound(resource, '', '')
    return t
  }

  private key(info: ResourceInfo, namespace: string | undefined, name: string): string {
    return info.namespaced ? `${namespace ?? ''}/${name}` : name
  }

  private sortKey(o: KubeObject): string {
    return objectKey(o.metadata)
  }
}

// Five random characters from the alphabet upstream uses for generateName.
export function randomSuffix(): string {
  let s = ''
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)]
  return s
}
