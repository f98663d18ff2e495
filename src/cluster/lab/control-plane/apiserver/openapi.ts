// /openapi/v3 (the index and one document per group/version, for validation and `kubectl explain`) and /openapi/v2.
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { groupVersions } from './discovery.ts'
import { sendJson } from './http-io.ts'
import { OPENAPI_V2_PROTOBUF, openApiV2Definitions, openApiV2Protobuf } from './openapi-v2.ts'
import { buildSchemas, type OpenApiSchema } from './openapi-schemas.ts'
import { RESOURCES, type ResourceInfo } from './resources.ts'

// `api/v1` for the core group, `apis/<group>/<version>` otherwise (the keys of the /openapi/v3 index).
export function openApiPath(groupVersion: string): string {
  return groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`
}

const query = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string' },
  style: 'form',
})
const PARAMS = {
  name: { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
  namespace: { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } },
  fieldValidation: query(
    'fieldValidation',
    'how the server treats unknown or duplicate fields: Ignore, Warn or Strict',
  ),
  fieldManager: query('fieldManager', 'the name of the actor making the change'),
  dryRun: query('dryRun', 'All: do not persist the change'),
  labelSelector: query('labelSelector', 'restricts the list by labels'),
  fieldSelector: query('fieldSelector', 'restricts the list by fields'),
  watch: query('watch', 'stream changes instead of listing'),
  resourceVersion: query('resourceVersion', 'where a list or watch starts'),
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema }, 'application/yaml': { schema } })

// The operations of one resource: list/create on the collection, get/replace/patch/delete on an item.
function resourcePaths(info: ResourceInfo, schemaName: string): Record<string, unknown> {
  const prefix = info.group ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`
  const collection = info.namespaced
    ? `${prefix}/namespaces/{namespace}/${info.resource}`
    : `${prefix}/${info.resource}`
  const gvk = { group: info.group, version: info.version, kind: info.kind }
  const scope = info.namespaced ? [PARAMS.namespace] : []
  const op = (action: string, verb: string, parameters: unknown[], body?: Record<string, unknown>) => ({
    operationId: `${verb}${info.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters,
    ...(body ? { requestBody: { required: true, content: body } } : {}),
    responses: { '200': { description: 'OK', content: json(ref(schemaName)) } },
  })
  const writes = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation]
  return {
    [collection]: {
      parameters: scope,
      get: op('list', 'list', [
        PARAMS.labelSelector,
        PARAMS.fieldSelector,
        PARAMS.watch,
        PARAMS.resourceVersion,
      ]),
      post: op('post', 'create', writes, json(ref(schemaName))),
    },
    [`${collection}/{name}`]: {
      parameters: [PARAMS.name, ...scope],
      get: op('get', 'read', []),
      put: op('put', 'replace', writes, json(ref(schemaName))),
      // No application/strategic-merge-patch+json here: the schemas carry no patch merge keys, so kubectl
      // falls back to its built-in types for client-side apply, which know them.
      patch: op('patch', 'patch', writes, {
        'application/json-patch+json': { schema: { type: 'object' } },
        'application/merge-patch+json': { schema: { type: 'object' } },
        'application/apply-patch+yaml': { schema: { type: 'object' } },
      }),
      delete: op('delete', 'delete', [PARAMS.dryRun]),
    },
  }
}

// The OpenAPI v3 document of one group/version (`v1`, `apps/v1`), or undefined when not served.
export function openApiDocument(groupVersion: string): Record<string, unknown> | undefined {
  const infos = Object.values(RESOURCES).filter((r) => r.apiVersion === groupVersion)
  if (infos.length === 0) return undefined
  const { schemas, kinds } = buildSchemas(groupVersion)
  const paths: Record<string, unknown> = {}
  for (const info of infos) {
    const name = kinds[`${groupVersion}/${info.kind}`]
    if (name) Object.assign(paths, resourcePaths(info, name))
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.34.0-svcnet' },
    paths,
    components: { schemas: schemas as Record<string, OpenApiSchema> },
  }
}

const cache = new Map<string, { doc: Record<string, unknown>; hash: string }>()
function cached(groupVersion: string) {
  let hit = cache.get(groupVersion)
  if (!hit) {
    const doc = openApiDocument(groupVersion)
    if (!doc) return undefined
    hit = { doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase() }
    cache.set(groupVersion, hit)
  }
  return hit
}

// `GET /openapi/v3`: the index of per-group/version documents, each with a content hash in its URL.
export function openApiIndex(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {}
  for (const gv of groupVersions()) {
    const p = openApiPath(gv)
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${cached(gv)!.hash}` }
  }
  return { paths }
}

// The body for a GET of an /openapi/v3 path, or undefined when the path names no document.
export function serveOpenApi(pathname: string): Record<string, unknown> | undefined {
  if (pathname === '/openapi/v3') return openApiIndex()
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(pathname)
  const gv = m?.[1] ?? m?.[2]
  return gv ? cached(gv)?.doc : undefined
}

let v2: { protobuf: Uint8Array; json: Record<string, unknown> } | undefined

// Answers a GET of an /openapi path (v2 as protobuf or JSON by Accept, v3 as JSON); false when none matches.
export function writeOpenApi(res: ServerResponse, pathname: string, accept: string | undefined): boolean {
  if (pathname === '/openapi/v2') {
    v2 ??= {
      protobuf: openApiV2Protobuf(),
      json: {
        swagger: '2.0',
        info: { title: 'Kubernetes', version: 'v1.34.0-svcnet' },
        paths: {},
        definitions: openApiV2Definitions(),
      },
    }
    if (!(accept ?? '').includes('protobuf')) {
      sendJson(res, 200, v2.json)
      return true
    }
    res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF, 'Content-Length': v2.protobuf.length })
    res.end(v2.protobuf)
    return true
  }
  const doc = serveOpenApi(pathname)
  if (doc) sendJson(res, 200, doc)
  return doc !== undefined
}
