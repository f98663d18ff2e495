// Applies objects through the small ApiClient: create, or replace what exists (kubectl create || replace), without
// loading @kubernetes/client-node. The caller says where each kind lives (no discovery round trips).
import { ApiError, type ApiClient } from './api-client.ts'
import type { ManifestObject } from './manifests.ts'

/** The collection path of an object's kind and namespace (`/apis/apps/v1/namespaces/kube-system/daemonsets`). */
export type CollectionPath = (obj: ManifestObject) => string

// The message of a Status body, else the body itself.
function statusMessage(err: ApiError): string {
  try {
    const status = JSON.parse(err.body) as { message?: unknown }
    if (typeof status.message === 'string') return `${status.message} (HTTP ${err.code})`
  } catch {
    // Not a Status: the raw body below says what the server answered.
  }
  return `HTTP ${err.code}: ${err.body.slice(0, 300)}`
}

// Creates each object, or replaces it (with its current resourceVersion) when it exists; errors name the object,
// where it came from and the API's message.
export async function applyObjects(
  client: ApiClient,
  objects: readonly { object: ManifestObject; source: string }[],
  collection: CollectionPath,
): Promise<void> {
  for (const { object, source } of objects) {
    const path = collection(object)
    const name = object.metadata?.name ?? ''
    try {
      try {
        await client.send('POST', path, object)
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== 409) throw err
        const item = `${path}/${encodeURIComponent(name)}`
        const existing = await client.getJson<{ metadata?: { resourceVersion?: string } }>(item)
        const metadata = { ...object.metadata, resourceVersion: existing.metadata?.resourceVersion }
        await client.send('PUT', item, { ...object, metadata })
      }
    } catch (err) {
      const why = err instanceof ApiError ? statusMessage(err) : (err as Error).message
      throw new Error(`applying ${object.kind} ${name} from ${source}: ${why}`, { cause: err })
    }
  }
}
