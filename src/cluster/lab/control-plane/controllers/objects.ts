// Small helpers shared by the controllers: typed views of stored objects, owner references, pod readiness.
import type { V1ObjectMeta, V1OwnerReference, V1Pod } from '@kubernetes/client-node'
import type { KubeObject } from '../apiserver/store.ts'
import { timeOf } from '../../../../kube/time.ts'

// Views a stored object as a typed client-node object (the store holds plain JSON).
export function as<T>(obj: KubeObject): T {
  return obj as unknown as T
}

// Views a typed client-node object as a store object, for writes.
export function toKube(obj: object): KubeObject {
  return obj as unknown as KubeObject
}

// The owner reference marked controller=true, if any.
export function controllerRef(meta: V1ObjectMeta | undefined): V1OwnerReference | undefined {
  return meta?.ownerReferences?.find((r) => r.controller === true)
}

// A controller owner reference pointing at an object, as upstream controllers write it.
export function ownerRefTo(owner: {
  apiVersion?: string
  kind?: string
  metadata?: V1ObjectMeta
}): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  }
}

// Whether the pod's Ready condition is True.
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

// Whether the pod has been Ready for at least minReadySeconds at `now`.
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')
  if (!ready) return false
  if (minReadySeconds <= 0) return true
  const since = timeOf(ready.lastTransitionTime)
  return Number.isNaN(since) || since + minReadySeconds * 1000 <= now
}

// Whether the pod has finished (Succeeded or Failed).
export function isPodTerminal(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
}

// Whether the pod counts as active for its controller: not finished and not being deleted.
export function isPodActive(pod: V1Pod): boolean {
  return !isPodTerminal(pod) && pod.metadata?.deletionTimestamp === undefined
}

// A deterministic JSON text of a value with object keys sorted, for equality checks and hashing.
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .filter((k) => o[k] !== undefined)
          .map((k) => [k, o[k]]),
      )
    }
    return v
  })
}

// Whether a StatusError-like value has this HTTP code.
export function hasCode(err: unknown, code: number): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code
}
