// Services, EndpointSlices and Nodes read from manifest files (multi-document YAML or JSON), as given: no defaulting.
// Large streams are read document by document: documents of other kinds are skipped unparsed, plain block YAML goes
// through fast-yaml.ts, and only what that reader gives up on is parsed by js-yaml (src/kube/manifests.ts).
import { readFileSync } from 'node:fs'
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node'
import { readObjects, type ManifestObject } from '../kube/manifests.ts'
import { parseSimpleYaml, splitYamlStream } from './fast-yaml.ts'

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

/** The kinds render and trace read. */
const WANTED = new Set(['Service', 'EndpointSlice', 'Node'])

// A document's top-level plain `kind:`, if it has one on a line of its own.
function kindOf(doc: string): string | undefined {
  return /^kind:[ ]*([A-Za-z0-9]+)[ ]*$/m.exec(doc)?.[1]
}

// Every object of a stream, as readObjects would return it, minus documents that are plainly of another kind.
function objectsOf(text: string, source: string): ManifestObject[] {
  const trimmed = text.trimStart()
  const docs = trimmed.startsWith('{') || trimmed.startsWith('[') ? undefined : splitYamlStream(text)
  if (!docs) return readObjects(text, source)
  const out: ManifestObject[] = []
  for (const d of docs) {
    const kind = kindOf(d.text)
    if (kind !== undefined && !WANTED.has(kind) && !kind.endsWith('List')) continue
    const fast = kind !== undefined && !kind.endsWith('List') ? parseSimpleYaml(d.text) : undefined
    if (fast !== undefined) {
      if (fast && typeof fast === 'object') out.push(fast as ManifestObject)
      continue
    }
    // js-yaml for the rest; blank lines in front keep its error line numbers those of the file.
    out.push(...readObjects('\n'.repeat(d.line) + d.text, source))
  }
  return out
}

// Collects the Services, EndpointSlices and Nodes of manifest text (other kinds are ignored).
export function readManifests(text: string, source: string, into: Manifests = emptyManifests()): Manifests {
  for (const o of objectsOf(text, source)) {
    if (o.kind === 'Service') into.services.push(o as V1Service)
    else if (o.kind === 'EndpointSlice') into.slices.push(o as V1EndpointSlice)
    else if (o.kind === 'Node') into.nodes.push(o as V1Node)
  }
  return into
}

// Reads every file (`-` is stdin) into one collection.
export function readManifestFiles(files: readonly string[]): Manifests {
  const all = emptyManifests()
  for (const f of files) readManifests(f === '-' ? readFileSync(0, 'utf8') : readFileSync(f, 'utf8'), f, all)
  return all
}
