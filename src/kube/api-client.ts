// A small read-only API client for in-cluster components (kube-proxy, DNS): GET a JSON list or open a watch stream
// over node:http/node:https, with a bearer token (re-read from its file), a client certificate or basic auth.
// It loads in a few milliseconds, where @kubernetes/client-node costs ≈ 0.4 CPU-s and ≈ 70 MB per process.
import { readFile } from 'node:fs/promises'
import type { Agent as HttpAgent, IncomingMessage } from 'node:http'
import type { RequestOptions } from 'node:https'
import type { ConnectionSpec } from './kubeconfig-read.ts'

// Not `import … from 'node:http'`: that ES module facade reads every export of node:http, which loads Node's
// bundled undici for http.WebSocket (≈ 35 ms of CPU in every process; see component-server.ts).
const { Agent: HttpAgentClass, request: httpRequest } = process.getBuiltinModule('node:http')
const { Agent: HttpsAgentClass, request: httpsRequest } = process.getBuiltinModule('node:https')

/** An HTTP answer other than 200: its code and body, as describeError (informer.ts) prints it. */
export class ApiError extends Error {
  readonly code: number
  readonly body: string
  constructor(what: string, code: number, body: string) {
    super(`${what}: HTTP ${code}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`)
    this.name = 'ApiError'
    this.code = code
    this.body = body
  }
}

/** Per-request extras from a credential source the small client cannot read itself (client-node's fallback). */
export interface RequestAuth {
  headers?: Record<string, string>
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  rejectUnauthorized?: boolean
}

// An API server connection: GET a path (with its query) as a response stream, or as parsed JSON.
export class ApiClient {
  readonly server: string
  readonly #spec: ConnectionSpec
  readonly #extraAuth: (() => Promise<RequestAuth>) | undefined
  readonly #agent: HttpAgent

  constructor(spec: ConnectionSpec, extraAuth?: () => Promise<RequestAuth>) {
    this.server = spec.server.replace(/\/+$/, '')
    this.#spec = spec
    this.#extraAuth = extraAuth
    this.#agent = this.server.startsWith('https:')
      ? new HttpsAgentClass({ keepAlive: true })
      : new HttpAgentClass({ keepAlive: true })
  }

  // The cluster this client talks to (the shape of client-node's KubeConfig.getCurrentCluster, for log lines).
  getCurrentCluster(): { server: string } {
    return { server: this.server }
  }

  // GETs `path` (e.g. `/api/v1/services?watch=true`); resolves with the response once its headers arrive.
  get(path: string, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.#request('GET', path, undefined, signal)
  }

  // GETs `path` and parses the JSON body; a non-2xx answer throws an ApiError with the body.
  getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.send<T>('GET', path, undefined, signal)
  }

  // Sends a JSON body (POST, PUT) or none and parses the JSON answer; a non-2xx answer throws an ApiError.
  async send<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.#request(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      signal,
    )
    const text = await readText(res)
    const code = res.statusCode ?? 0
    if (code < 200 || code > 299) throw new ApiError(`${method} ${path}`, code, text)
    try {
      return JSON.parse(text) as T
    } catch (err) {
      throw new Error(`${method} ${path}: the answer is not JSON: ${text.slice(0, 200)}`, { cause: err })
    }
  }

  async #request(method: string, path: string, body: string | undefined, signal?: AbortSignal) {
    const url = new URL(this.server + path)
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'svcnet' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const opts: RequestOptions = { method, headers, agent: this.#agent, signal }
    await this.#authorize(opts)
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, opts, resolve)
      req.on('error', (err) =>
        reject(signal?.aborted ? err : new Error(`${method} ${url.href}: ${err.message}`, { cause: err })),
      )
      req.end(body)
    })
  }

  // Closes idle keep-alive connections.
  close(): void {
    this.#agent.destroy()
  }

  // Adds TLS material and credentials: the token file is read for every request, so a rotated token is used at once.
  async #authorize(opts: RequestOptions): Promise<void> {
    const s = this.#spec
    const headers = opts.headers as Record<string, string>
    if (s.ca) opts.ca = s.ca
    if (s.cert) opts.cert = s.cert
    if (s.key) opts.key = s.key
    if (s.insecure) opts.rejectUnauthorized = false
    if (s.tlsServerName) opts.servername = s.tlsServerName
    if (s.username !== undefined) opts.auth = `${s.username}:${s.password ?? ''}`
    const token = s.tokenFile ? (await readToken(s.tokenFile)) || s.token : s.token
    if (token) headers['Authorization'] = `Bearer ${token}`
    if (!this.#extraAuth) return
    const extra = await this.#extraAuth()
    Object.assign(headers, extra.headers ?? {})
    for (const k of ['ca', 'cert', 'key', 'rejectUnauthorized'] as const)
      if (extra[k] !== undefined) Object.assign(opts, { [k]: extra[k] })
  }
}

// The token in a file, trimmed.
async function readToken(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (err) {
    throw new Error(`reading the API token file ${file}: ${(err as Error).message}`, { cause: err })
  }
}

// The whole body of a response as text.
export async function readText(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8')
  let text = ''
  for await (const chunk of res) text += chunk as string
  return text
}
