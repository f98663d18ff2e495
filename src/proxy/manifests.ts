// Services, EndpointSlices and Nodes read from manifest files (multi-document YAML or JSON), as given: no defaulting.
import { readFileSync } from 'node:fs'
import { JSON_SCHEMA, loadAll } from 'js-yaml'
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node'

/** The objects the proxy cares about, found in manifests. */
export interface Manifests {
  services: V1Service[]
  slices: V1EndpointSlice[]
  nodes: V1Node[]
}

// An empty collection.
export function emptyManifests(): Manifests {
  return { services: [], slices: [], nodes: [] }
}

// Adds one parsed document (List kinds are expanded; other kinds ignored).
function visit(out: Manifests, obj: unknown): void {
  if (!obj || typeof obj !== 'object') return
  const o = obj as { kind?: string; items?: unknown[] }
  if (o.kind === 'Service') out.services.push(obj as V1Service)
  else if (o.kind === 'EndpointSlice') out.slices.push(obj as V1EndpointSlice)
  else if (o.kind === 'Node') out.nodes.push(obj as V1Node)
  else if (o.kind?.endsWith('List') && Array.isArray(o.items)) for (const item of o.items) visit(out, item)
}

// Collects objects from manifest text: JSON (one object or a List) directly, else YAML documents. YAML is read with
// js-yaml's JSON schema (plain scalars are strings unless they are JSON literals, as Kubernetes fields expect):
// measured 3–9× faster than the yaml package's parseAllDocuments, which took 86 % of `proxy render` at 10k.
export function readManifests(text: string, source: string, into: Manifests = emptyManifests()): Manifests {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text)
      for (const o of Array.isArray(parsed) ? parsed : [parsed]) visit(into, o)
      return into
    } catch (err) {
      // Not JSON after all (YAML flow style): fall through to the YAML parser, which reports its own errors.
      if (!(err instanceof SyntaxError)) throw err
    }
  }
  let docs: unknown[]
  try {
    docs = loadAll(text, { schema: JSON_SCHEMA, filename: source })
  } catch (err) {
    throw new Error(`${source}: invalid YAML: ${(err as Error).message}`, { cause: err })
  }
  for (const doc of docs) visit(into, doc)
  return into
}

// Reads every file (`-` is stdin) into one collection.
export function readManifestFiles(files: readonly string[]): Manifests {
  const all = emptyManifests()
  for (const f of files) readManifests(f === '-' ? readFileSync(0, 'utf8') : readFileSync(f, 'utf8'), f, all)
  return all
}
