// Applies manifests (multi-document YAML) through the API: create, or replace what exists.
import {
  ApiException,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node'
import { parseAllDocuments } from 'yaml'
import { apiMessage } from './api-status.ts'

/** One manifest document, with where it came from for error messages. */
export interface Manifest {
  object: KubernetesObject
  source: string
}

// Parses multi-document YAML; a syntax error names the file and line.
export function parseManifests(text: string, source: string): Manifest[] {
  const docs = parseAllDocuments(text, { prettyErrors: true })
  const out: Manifest[] = []
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!
      const line = e.linePos?.[0]?.line
      throw new Error(`${source}${line ? `:${line}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`)
    }
    const object = doc.toJS() as KubernetesObject | null
    if (!object) continue
    const line = doc.contents ? lineOf(text, doc.contents.range?.[0] ?? 0) : 1
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      throw new Error(`${source}:${line}: a manifest needs apiVersion, kind and metadata.name`)
    }
    out.push({ object, source: `${source}:${line}` })
  }
  return out
}

// The 1-based line number of a character offset.
function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++
  return line
}

// Creates each object, or replaces it when it already exists; errors name the manifest and the API's message.
export async function applyManifests(kc: KubeConfig, manifests: Manifest[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc)
  for (const { object, source } of manifests) {
    try {
      await api.create(object)
    } catch (err) {
      if (err instanceof ApiException && err.code === 409) {
        const existing = await api.read({
          apiVersion: object.apiVersion!,
          kind: object.kind!,
          metadata: { name: object.metadata!.name!, namespace: object.metadata?.namespace ?? '' },
        })
        await api.replace({
          ...object,
          metadata: { ...object.metadata, resourceVersion: existing.metadata?.resourceVersion },
        })
        continue
      }
      throw new Error(`applying ${object.kind} ${object.metadata?.name} from ${source}: ${apiMessage(err)}`, {
        cause: err,
      })
    }
  }
}
