// The lab API server over HTTP: the real REST paths, list/watch contract, Tables and discovery; bearer-token auth.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { unlink } from 'node:fs/promises'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import {
  DEFAULT_VERSION,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  type VersionInfo,
} from './discovery.ts'
import { parseBody, readBody, readBytes, sendJson, sendStatus, sendText, writeRawStatus } from './http-io.ts'
import { isApplyPatch, serveApplyPatch } from './apply-patch.ts'
import { applyPatch, patchType } from './patch.ts'
import { serveLogFollow } from './log-follow.ts'
import { writeOpenApi } from './openapi.ts'
import type { PodStreams } from './pod-streams.ts'
import { checkObjectShape } from './object-shape.ts'
import { decodeKubeProtobuf } from './protobuf.ts'
import type { ResourceInfo } from './resources.ts'
import { YamlParser } from './yaml-parser.ts'
import { TokenAuthenticator, unauthorized } from './auth.ts'
import { parseApiPath, parseRequestTarget, type ApiTarget, type RequestTarget } from './routes.ts'
import { labelSelectorToString } from './selector.ts'
import { StatusError, badRequest, notFound } from './status-error.ts'
import type { DeleteOptions, KubeObject, Store } from './store.ts'
import { checkFieldValidation } from './unknown-fields.ts'
import { upgradeHandler } from './upgrade.ts'
import { toTable, wantsTable, type IncludeObject } from './table.ts'

/** Where pod logs come from (the lab kubelet implements it). */
export interface PodLogSource {
  // The log text of one container (the pod's only/first container when undefined); tailLines keeps the last n lines,
  // timestamps prefixes each line with the RFC 3339 time it was written (as the kubelet does).
  read(
    namespace: string,
    pod: string,
    container: string | undefined,
    opts: { tailLines?: number; timestamps?: boolean },
  ): Promise<string>
}

/** Options for startApiServer. */
export interface ApiServerOptions {
  store: Store
  /** @default '127.0.0.1' */
  host?: string
  /** 0 picks a free port. @default 0 */
  port?: number
  /** Also serve the same API on this unix socket path (a stale socket file is replaced). */
  unixSocket?: string
  /** Serves pods/{name}/log; without it log requests are 404. */
  podLogs?: PodLogSource
  /** Serves pods/exec, pods/portforward (WebSocket upgrades) and followed pods/log; without it they are 404. */
  podStreams?: PodStreams
  /** Overrides parts of the /version body. */
  version?: Partial<VersionInfo>
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK. @default 15000 */
  bookmarkIntervalMs?: number
  /** Bytes a watch may have queued for a client that does not read before it is dropped. @default 16 MiB */
  maxWatchBacklogBytes?: number
  /** Serve TCP and the unix socket over TLS with this key pair (PEM). */
  tls?: { key: string; cert: string }
  /** Bearer tokens (token → user name) a request must carry; without it, no authentication (tests only). */
  tokens?: ReadonlyMap<string, string>
  /** Where internal errors (with their stack, which the client never sees) are reported. @default stderr */
  log?: (line: string) => void
}

/** A running API server. */
export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  // Stops listening and ends every open watch.
  close(): Promise<void>
}

interface Ctx {
  req: IncomingMessage
  res: ServerResponse
  url: RequestTarget
  opts: ApiServerOptions
  watches: Set<() => void>
  yaml: YamlParser
}

const MAX_WATCH_BACKLOG = 16 * 1024 * 1024

const VERBS_NOT_ALLOWED = (method: string, what: string) =>
  new StatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method} ${what})`,
  )

// Starts the API server on TCP (and optionally a unix socket); resolves once listening.
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const watches = new Set<() => void>()
  const auth = opts.tokens ? new TokenAuthenticator(opts.tokens) : undefined
  const streams = upgradeHandler(opts)
  // Upgrades (exec, attach, port-forward) authenticate like every other request.
  const upgrades = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!auth || auth.authenticate(req)) return streams(req, socket, head)
    writeRawStatus(socket, unauthorized())
  }
  const yaml = new YamlParser()
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    // Everything about the request, its target included, is parsed inside the error handling.
    const serve = async () => {
      const url = parseRequestTarget(req.url, req.method ?? '')
      auth?.check(req, url.pathname)
      await handle({ req, res, url, opts, watches, yaml })
    }
    serve().catch((err: unknown) => fail(req, res, err, opts.log))
  }
  const servers: Server[] = []
  const listen = (server: Server, target: { port: number; host: string } | string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      const done = () => {
        server.off('error', reject)
        resolve()
      }
      if (typeof target === 'string') server.listen(target, done)
      else server.listen(target.port, target.host, done)
    })
  // Every listener speaks TLS when a key pair is given (pods reach the socket through the forwarder).
  const listener = () =>
    opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createServer(handler)
  const tcp = listener()
    .on('upgrade', upgrades)
    .on('connect', refuseConnect)
    .on('clientError', answerClientError)
  await listen(tcp, { port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' })
  servers.push(tcp)
  if (opts.unixSocket) {
    await unlink(opts.unixSocket).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT')
        throw new Error(`cannot replace unix socket ${opts.unixSocket}: ${err.message}`, { cause: err })
    })
    const unix = listener()
      .on('upgrade', upgrades)
      .on('connect', refuseConnect)
      .on('clientError', answerClientError)
    try {
      await listen(unix, opts.unixSocket)
    } catch (err) {
      tcp.close()
      throw new Error(
        `API server cannot listen on unix socket ${opts.unixSocket}: ${(err as Error).message}`,
        { cause: err },
      )
    }
    servers.push(unix)
  }
  const port = (tcp.address() as AddressInfo).port
  const host = opts.host ?? '127.0.0.1'
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: async () => {
      for (const stop of [...watches]) stop()
      streams.closeAll()
      await yaml.close()
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve())
              s.closeAllConnections()
            }),
        ),
      )
    },
  }
}

// Answers a failed request: its Status, or a 500 whose message hides the stack (which goes to the log).
function fail(req: IncomingMessage, res: ServerResponse, err: unknown, log: ApiServerOptions['log']): void {
  if (!(err instanceof StatusError)) {
    const line = `API server: internal error on ${req.method} ${String(req.url).slice(0, 200)}: ${(err as Error)?.stack ?? String(err)}`
    ;(log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line)
  }
  if (res.headersSent) {
    res.destroy()
    return
  }
  const status =
    err instanceof StatusError
      ? err
      : new StatusError(
          500,
          'InternalError',
          `Internal error occurred: ${(err as Error)?.message ?? String(err)}`,
        )
  // The request body may be unread: drain it so the client reads the answer (closing with unread data
  // resets the connection), except past the body limit (413), where the connection is closed instead.
  if (!req.complete) {
    if (status.code === 413) res.setHeader('Connection', 'close')
    else req.resume()
  }
  sendStatus(res, status)
}

// A request Node's HTTP parser refuses (bad characters, oversized headers): a 400 Status, then the connection closes.
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || (err.code === 'ECONNRESET' && socket.destroyed)) {
    socket.destroy()
    return
  }
  writeRawStatus(socket, badRequest(`malformed HTTP request: ${err.code ?? err.message}`))
}

// CONNECT (a proxy tunnel request) is not an API verb: 405, then the connection is closed.
function refuseConnect(req: IncomingMessage, socket: Duplex): void {
  writeRawStatus(socket, VERBS_NOT_ALLOWED('CONNECT', String(req.url).slice(0, 200)))
}

async function handle(ctx: Ctx): Promise<void> {
  const { req, res, url, opts } = ctx
  const path = url.pathname
  if (req.method === 'GET') {
    switch (path) {
      case '/healthz':
      case '/livez':
      case '/readyz':
        return sendText(res, 200, 'ok')
      case '/version':
        return sendJson(res, 200, { ...DEFAULT_VERSION, ...opts.version })
      case '/api':
        return sendJson(
          res,
          200,
          apiVersions(
            req.socket.localAddress ? `${req.socket.localAddress}:${req.socket.localPort}` : 'localhost',
          ),
        )
      case '/apis':
        return sendJson(res, 200, apiGroupList())
      case '/api/v1':
        return sendJson(res, 200, apiResourceList('v1'))
    }
    const gv = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path)
    if (gv) {
      const body = gv[2] ? apiResourceList(`${gv[1]}/${gv[2]}`) : apiGroup(gv[1]!)
      if (body) return sendJson(res, 200, body)
    }
    if (path.startsWith('/openapi/') && writeOpenApi(res, path, req.headers.accept)) return
  }
  const target = parseApiPath(path)
  if (!target)
    throw new StatusError(
      404,
      'NotFound',
      `the server could not find the requested resource (${req.method} ${path})`,
    )
  return handleResource(ctx, target)
}

const q = (url: RequestTarget, key: string) => url.searchParams.get(key) ?? undefined

function listOpts(url: RequestTarget, namespace: string | undefined) {
  const labelSelector = q(url, 'labelSelector')
  const fieldSelector = q(url, 'fieldSelector')
  return {
    ...(namespace ? { namespace } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
  }
}

async function handleResource(ctx: Ctx, t: ApiTarget): Promise<void> {
  const { req, url, opts } = ctx
  const { info, namespace, name, subresource } = t
  const method = req.method ?? 'GET'
  const store = opts.store
  if (q(url, 'dryRun')) throw badRequest('dryRun is not supported by the svcnet lab API server')
  if (info.namespaced && name && !namespace) {
    throw new StatusError(
      404,
      'NotFound',
      `the server could not find the requested resource (${method} ${url.pathname})`,
    )
  }
  if (subresource && !info.subresources.includes(subresource)) {
    throw new StatusError(
      404,
      'NotFound',
      `the server could not find the requested resource (${info.resource}/${subresource} is not served by the svcnet lab API server)`,
    )
  }
  if (!name) {
    if (method === 'GET') {
      const watch = q(url, 'watch')
      if (watch === 'true' || watch === '1') return serveWatch(ctx, info, namespace)
      return serveList(ctx, info, namespace)
    }
    if (method === 'POST') {
      const body = await objectBody(ctx, info)
      if (info.namespaced) {
        if (!namespace) throw VERBS_NOT_ALLOWED(method, url.pathname)
        if (body.metadata.namespace && body.metadata.namespace !== namespace) {
          throw badRequest(
            'the namespace of the provided object does not match the namespace sent on the request',
          )
        }
        body.metadata.namespace = namespace
      }
      return sendJson(ctx.res, 201, store.create(info.resource, body))
    }
    if (method === 'DELETE') {
      // As upstream: no deletecollection across all namespaces, and none for namespaces themselves.
      if ((info.namespaced && !namespace) || info.resource === 'namespaces')
        throw VERBS_NOT_ALLOWED(method, url.pathname)
      const del = await deleteOptions(ctx)
      const { items, resourceVersion } = store.list(info.resource, listOpts(url, namespace))
      const deleted = items.map((o) =>
        store.delete(info.resource, o.metadata.namespace, o.metadata.name!, del),
      )
      return sendJson(ctx.res, 200, {
        kind: `${info.kind}List`,
        apiVersion: info.apiVersion,
        metadata: { resourceVersion },
        items: deleted,
      })
    }
    throw VERBS_NOT_ALLOWED(method, url.pathname)
  }
  const current = () => {
    const o = store.get(info.resource, namespace, name)
    if (!o) throw notFound(info.resource, info.group, name)
    return o
  }
  if (subresource === 'log') {
    if (method !== 'GET') throw VERBS_NOT_ALLOWED(method, url.pathname)
    current()
    if (q(url, 'follow') === 'true' && opts.podStreams)
      return serveLogFollow(req, ctx.res, opts.podStreams, namespace!, name, url.searchParams)
    if (!opts.podLogs)
      throw new StatusError(
        404,
        'NotFound',
        `no log source: the svcnet lab API server was started without one (pod "${name}")`,
      )
    const tail = q(url, 'tailLines')
    const text = await opts.podLogs.read(namespace!, name, q(url, 'container'), {
      ...(tail !== undefined ? { tailLines: Number(tail) } : {}),
      ...(q(url, 'timestamps') === 'true' ? { timestamps: true } : {}),
    })
    return sendText(ctx.res, 200, text)
  }
  if (subresource === 'scale') return serveScale(ctx, info, namespace, name)
  if (method === 'PATCH' && !subresource && isApplyPatch(req.headers['content-type'])) {
    const text = await readBody(req)
    const parse = (t: string) => parseBody(t, 'application/yaml', ctx.yaml)
    return serveApplyPatch(ctx.res, { store, info, namespace, name, query: url.searchParams, text, parse })
  }
  const sub = subresource === 'status' ? { subresource: 'status' as const } : {}
  switch (method) {
    case 'GET': {
      const o = current()
      if (wantsTable(req.headers.accept)) return sendJson(ctx.res, 200, toTable(info, [o], tableOpts(url)))
      return sendJson(ctx.res, 200, o)
    }
    case 'PUT': {
      const body = await objectBody(ctx, info)
      checkName(body, name, namespace, info)
      return sendJson(ctx.res, 200, store.update(info.resource, body, sub))
    }
    case 'PATCH': {
      patchType(req.headers['content-type'])
      const o = current()
      const patch = await parseBody(await readBody(req), 'application/json', ctx.yaml)
      const patched = applyPatch(req.headers['content-type'] ?? '', o, patch) as KubeObject
      if (!patched || typeof patched !== 'object' || Array.isArray(patched))
        throw badRequest('the patch did not produce an object')
      // A patch can set any field to anything: the result is checked like a request body.
      checkObjectShape(info.resource, info.kind, info.apiVersion, patched)
      patched.metadata ??= {}
      checkFieldValidation(ctx.res, info.apiVersion, patched, info.kind, q(url, 'fieldValidation'), o)
      checkName(patched, name, namespace, info)
      return sendJson(ctx.res, 200, store.update(info.resource, patched, sub))
    }
    case 'DELETE':
      return sendJson(ctx.res, 200, store.delete(info.resource, namespace, name, await deleteOptions(ctx)))
  }
  throw VERBS_NOT_ALLOWED(method, url.pathname)
}

function checkName(obj: KubeObject, name: string, namespace: string | undefined, info: ResourceInfo): void {
  if (obj.metadata.name && obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
    )
  }
  obj.metadata.name = name
  if (info.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      )
    }
    obj.metadata.namespace = namespace
  }
}

async function objectBody(ctx: Ctx, info: ResourceInfo): Promise<KubeObject> {
  const type = ctx.req.headers['content-type'] ?? ''
  const raw = await readBytes(ctx.req)
  const body = type.includes('protobuf')
    ? decodeKubeProtobuf(raw)
    : await parseBody(raw.toString('utf8'), type, ctx.yaml)
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest(`the request body must be a ${info.kind} object`)
  const obj = body as KubeObject
  checkObjectShape(info.resource, info.kind, info.apiVersion, obj)
  if (obj.kind !== undefined && obj.kind !== info.kind && obj.kind !== 'Scale') {
    throw badRequest(
      `the body is a ${JSON.stringify(obj.kind)}, but the URL names ${info.resource} (kind ${info.kind})`,
    )
  }
  const wantVersion = obj.kind === 'Scale' ? 'autoscaling/v1' : info.apiVersion
  if (obj.apiVersion !== undefined && obj.apiVersion !== wantVersion) {
    throw badRequest(
      `the API version in the data (${JSON.stringify(obj.apiVersion)}) does not match the expected API version (${wantVersion})`,
    )
  }
  checkFieldValidation(ctx.res, info.apiVersion, obj, info.kind, q(ctx.url, 'fieldValidation'))
  obj.metadata ??= {}
  return obj
}

async function deleteOptions(ctx: Ctx): Promise<DeleteOptions> {
  const body = (await parseBody(await readBody(ctx.req), 'application/json', ctx.yaml)) as
    | {
        gracePeriodSeconds?: number
        propagationPolicy?: DeleteOptions['propagationPolicy']
        orphanDependents?: boolean
      }
    | undefined
  const out: DeleteOptions = {}
  const grace = q(ctx.url, 'gracePeriodSeconds') ?? body?.gracePeriodSeconds
  if (grace !== undefined && grace !== null) {
    const n = Number(grace)
    if (!Number.isInteger(n))
      throw badRequest(`gracePeriodSeconds must be an integer, got ${JSON.stringify(grace)}`)
    out.gracePeriodSeconds = n
  }
  const policy =
    q(ctx.url, 'propagationPolicy') ??
    body?.propagationPolicy ??
    (body?.orphanDependents ? 'Orphan' : undefined)
  if (policy !== undefined) {
    if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
      throw badRequest(
        `propagationPolicy must be Background, Foreground or Orphan, got ${JSON.stringify(policy)}`,
      )
    }
    out.propagationPolicy = policy as DeleteOptions['propagationPolicy']
  }
  return out
}

function tableOpts(url: RequestTarget): { include: IncludeObject } {
  const inc = q(url, 'includeObject')
  return { include: inc === 'None' || inc === 'Object' ? inc : 'Metadata' }
}

function serveList(ctx: Ctx, info: ResourceInfo, namespace: string | undefined): void {
  const { items, resourceVersion } = ctx.opts.store.list(info.resource, listOpts(ctx.url, namespace))
  if (wantsTable(ctx.req.headers.accept)) {
    return sendJson(ctx.res, 200, toTable(info, items, { resourceVersion, ...tableOpts(ctx.url) }))
  }
  sendJson(ctx.res, 200, {
    kind: `${info.kind}List`,
    apiVersion: info.apiVersion,
    metadata: { resourceVersion },
    items,
  })
}

function serveWatch(ctx: Ctx, info: ResourceInfo, namespace: string | undefined): void {
  const { req, res, url, opts } = ctx
  const table = wantsTable(req.headers.accept)
  const filters = listOpts(url, namespace)
  const from = q(url, 'resourceVersion') || '0'
  const current = Number(storeResourceVersion(opts.store, info, '0'))
  if (/^\d+$/.test(from) && Number(from) > current) throw tooLargeResourceVersion(Number(from), current)
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' })
  res.flushHeaders()
  req.socket.setNoDelay(true)
  let first = true
  let lastRv = '0'
  // Events replayed when the watch starts are bounded by the store; later ones wait on the client.
  let replaying = true
  const write = (type: string, object: unknown) => {
    if (res.writableEnded) return
    // A client that stops reading is dropped once its backlog passes the limit (upstream closes a watcher whose buffer fills).
    if (!replaying && res.writableLength > (opts.maxWatchBacklogBytes ?? MAX_WATCH_BACKLOG)) {
      res.destroy()
      finish()
      return
    }
    res.write(`${JSON.stringify({ type, object })}\n`)
  }
  const timers: NodeJS.Timeout[] = []
  let stopWatch = () => {}
  const finish = () => {
    stopWatch()
    timers.forEach((t) => clearTimeout(t))
    ctx.watches.delete(finish)
    if (!res.writableEnded) res.end()
  }
  ctx.watches.add(finish)
  req.on('close', finish)
  res.on('close', finish)
  try {
    stopWatch = opts.store.watch(
      info.resource,
      { ...filters, resourceVersion: q(url, 'resourceVersion') || '0' },
      (e) => {
        lastRv = e.object.metadata.resourceVersion ?? lastRv
        if (!table) return write(e.type, e.object)
        write(e.type, toTable(info, [e.object], { ...tableOpts(url), noHeaders: !first }))
        first = false
      },
    )
  } catch (err) {
    if (!(err instanceof StatusError)) throw err
    write('ERROR', err.toStatus())
    return finish()
  }
  replaying = false
  if (q(url, 'allowWatchBookmarks') === 'true' || q(url, 'allowWatchBookmarks') === '1') {
    const every = opts.bookmarkIntervalMs ?? 15000
    const bookmark = () => {
      const rv = storeResourceVersion(opts.store, info, lastRv)
      write('BOOKMARK', { kind: info.kind, apiVersion: info.apiVersion, metadata: { resourceVersion: rv } })
    }
    timers.push(setInterval(bookmark, every))
  }
  const timeout = Number(q(url, 'timeoutSeconds'))
  if (timeout > 0) timers.push(setTimeout(finish, timeout * 1000))
}

// 504 for a watch from a resourceVersion the store has not reached, as upstream's watch cache answers.
function tooLargeResourceVersion(from: number, current: number): StatusError {
  return new StatusError(
    504,
    'Timeout',
    `Timeout: Too large resource version: ${from}, current: ${current}`,
    {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    },
  )
}

// The store's current resourceVersion: MemoryStore exposes it; other stores answer through an empty list.
function storeResourceVersion(store: Store, info: ResourceInfo, fallback: string): string {
  const rv = (store as { resourceVersion?: unknown }).resourceVersion
  if (typeof rv === 'string') return rv
  return store.list(info.resource, { fieldSelector: 'metadata.name=' }).resourceVersion || fallback
}

async function serveScale(
  ctx: Ctx,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const { req, opts } = ctx
  const toScale = (o: KubeObject) => {
    const spec = (o.spec ?? {}) as {
      replicas?: number
      selector?: Parameters<typeof labelSelectorToString>[0]
    }
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: spec.replicas ?? 0 },
      status: {
        replicas: (o.status as { replicas?: number } | undefined)?.replicas ?? 0,
        selector: spec.selector ? labelSelectorToString(spec.selector) : '',
      },
    }
  }
  const o = opts.store.get(info.resource, namespace, name)
  if (!o) throw notFound(info.resource, info.group, name)
  let scale: ReturnType<typeof toScale>
  if (req.method === 'GET') return sendJson(ctx.res, 200, toScale(o))
  if (req.method === 'PUT') scale = (await objectBody(ctx, info)) as unknown as ReturnType<typeof toScale>
  else if (req.method === 'PATCH') {
    patchType(req.headers['content-type'])
    const patch = await parseBody(await readBody(req), 'application/json', ctx.yaml)
    scale = applyPatch(req.headers['content-type'] ?? '', toScale(o), patch) as ReturnType<typeof toScale>
    if (!scale || typeof scale !== 'object' || Array.isArray(scale))
      throw badRequest('the patch did not produce a Scale object')
  } else throw VERBS_NOT_ALLOWED(req.method ?? '', ctx.url.pathname)
  const updated = opts.store.update(
    info.resource,
    {
      apiVersion: info.apiVersion,
      kind: info.kind,
      metadata: {
        name,
        namespace,
        ...(scale.metadata?.resourceVersion ? { resourceVersion: scale.metadata.resourceVersion } : {}),
      },
      spec: { replicas: scale.spec?.replicas },
    },
    { subresource: 'scale' },
  )
  sendJson(ctx.res, 200, toScale(updated))
}
