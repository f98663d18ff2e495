// The pod-template-hash label value: FNV-32a of the pod template, encoded like upstream's rand.SafeEncodeString.
import type { V1PodTemplateSpec } from '@kubernetes/client-node'
import { canonicalJson } from './objects.ts'

// The label upstream puts on ReplicaSets (selector and template) and their pods.
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash'

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

// 32-bit FNV-1a of a string's UTF-8 bytes.
export function fnv32a(text: string): number {
  let h = 0x811c9dc5
  for (const b of new TextEncoder().encode(text)) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

// Maps each character to the vowel-free alphabet upstream uses, so hashes never spell words.
export function safeEncodeString(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length]
  return out
}

// A template without its pod-template-hash label, the form that is hashed and compared.
export function withoutHashLabel(template: V1PodTemplateSpec | undefined): V1PodTemplateSpec {
  const t = structuredClone(template ?? {})
  if (t.metadata?.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL]
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels
  }
  return t
}

// The stable short hash of a pod template (up to 10 characters), varied by the collision count.
export function podTemplateHash(template: V1PodTemplateSpec | undefined, collisionCount?: number): string {
  const text = canonicalJson(withoutHashLabel(template)) + (collisionCount ? `#${collisionCount}` : '')
  return safeEncodeString(String(fnv32a(text)))
}

// Whether two pod templates are equal once the pod-template-hash label is ignored.
export function templatesEqualIgnoringHash(
  a: V1PodTemplateSpec | undefined,
  b: V1PodTemplateSpec | undefined,
): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b))
}
