// PATCH with application/apply-patch+yaml (`kubectl apply --server-side`): creates or merges, answers as upstream.
import type { ServerResponse } from 'node:http'
import { rfc3339 } from '../../../../kube/time.ts'
import { sendJson } from './http-io.ts'
import type { ResourceInfo } from './resources.ts'
import { applyConfiguration } from './server-side-apply.ts'
import { badRequest } from './status-error.ts'
import type { KubeObject, Store } from './store.ts'
import { checkFieldValidation } from './unknown-fields.ts'

// Whether a PATCH's Content-Type asks for server-side apply.
export function isApplyPatch(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim() === 'application/apply-patch+yaml'
}

/** One apply request. */
export interface ApplyRequest {
  store: Store
  info: ResourceInfo
  namespace: string | undefined
  name: string
  query: URLSearchParams
  /** The request body. */
  text: string
  // Parses the body (YAML, of which JSON is a subset).
  parse(text: string): Promise<unknown>
}

// Serves one apply: 201 with the created object, or 200 with the merged one.
export async function serveApplyPatch(res: ServerResponse, a: ApplyRequest): Promise<void> {
  const manager = a.query.get('fieldManager')
  if (!manager) throw badRequest('PATCH /apply requires fieldManager')
  const body = await a.parse(a.text)
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest(`the apply configuration must be a ${a.info.kind} object`)
  const applied = body as KubeObject
  if (applied.apiVersion !== a.info.apiVersion || applied.kind !== a.info.kind) {
    throw badRequest(
      `the apply configuration is ${String(applied.apiVersion)}/${String(applied.kind)}, but the URL names ${a.info.apiVersion}/${a.info.kind}`,
    )
  }
  applied.metadata ??= {}
  if (applied.metadata.name !== a.name)
    throw badRequest(
      `the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${a.name})`,
    )
  if (a.info.namespaced) {
    if (applied.metadata.namespace && applied.metadata.namespace !== a.namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      )
    applied.metadata.namespace = a.namespace
  }
  const live = a.store.get(a.info.resource, a.namespace, a.name)
  checkFieldValidation(
    res,
    a.info.apiVersion,
    applied,
    a.info.kind,
    a.query.get('fieldValidation') ?? undefined,
  )
  const merged = applyConfiguration(live, applied, manager, rfc3339(new Date()))
  if (!live) return sendJson(res, 201, a.store.create(a.info.resource, merged))
  sendJson(res, 200, a.store.update(a.info.resource, merged))
}
