// Services, EndpointSlices and Nodes read from manifest files (multi-document YAML or JSON), as given: no defaulting.
import { readFileSync } from 'node:fs'
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node'
import { readObjects } from '../kube/manifests.ts'

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

// Collects the Services, EndpointSlices and Nodes of manifest text (other kinds are ignored).
export function readManifests(text: string, source: string, into: Manifests = emptyManifests()): Manifests {
  for (const o of readObjects(text, source)) {
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
