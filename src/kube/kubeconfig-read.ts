// Reads a kubeconfig file's current context into what the small API client needs (server, TLS material, credentials),
// or says which part it cannot do (exec plugins, auth providers, impersonation) so the caller can fall back.
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { load } from 'js-yaml'

/** Where an API server is and how to reach it: TLS material and credentials. */
export interface ConnectionSpec {
  server: string
  /** PEM bytes of the CA that signed the server's certificate (the system CAs when absent). */
  ca?: Buffer
  /** Client certificate and key (PEM). */
  cert?: Buffer
  key?: Buffer
  /** insecure-skip-tls-verify. */
  insecure?: boolean
  /** tls-server-name: the name checked against the server's certificate. */
  tlsServerName?: string
  token?: string
  /** A file holding the bearer token, re-read when it changes (a projected ServiceAccount token rotates). */
  tokenFile?: string
  /** Basic auth. */
  username?: string
  password?: string
}

/** What a kubeconfig says; `unsupported` names the user setting the small client cannot do (spec then has only
 * the cluster's part: server and TLS). */
export interface KubeconfigReading {
  spec: ConnectionSpec
  unsupported?: string
}

type Entry = Record<string, unknown>

// The named entry of a kubeconfig list (clusters, users, contexts), its inner object (cluster, user, context).
function named(doc: Entry, list: string, inner: string, name: string | undefined): Entry | undefined {
  const items = Array.isArray(doc[list]) ? (doc[list] as Entry[]) : []
  const item = items.find((i) => i?.['name'] === name)
  const value = item?.[inner]
  return value && typeof value === 'object' ? (value as Entry) : undefined
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

// Reads the current context of the kubeconfig files (KUBECONFIG's list: the first file to set a name or the current
// context wins, as kubectl merges them); relative file names resolve against the folder of the file naming them.
export function readKubeconfig(files: string[], context?: string): KubeconfigReading {
  const merged: Entry = { clusters: [], users: [], contexts: [] }
  for (const file of files) {
    let doc: unknown
    try {
      doc = load(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new Error(`reading kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      })
    }
    if (doc === null || doc === undefined) continue
    if (typeof doc !== 'object') throw new Error(`kubeconfig ${file} is not a YAML mapping`)
    const d = doc as Entry
    merged['current-context'] ??= text(d['current-context'])
    for (const [list, inner] of LISTS)
      for (const item of Array.isArray(d[list]) ? (d[list] as Entry[]) : [])
        (merged[list] as Entry[]).push(absolutePaths(item, inner, dirname(file)))
  }
  return kubeconfigSpec(merged, '/', files.join(':'), context)
}

const LISTS = [
  ['clusters', 'cluster'],
  ['users', 'user'],
  ['contexts', 'context'],
] as const
const FILE_FIELDS = ['certificate-authority', 'client-certificate', 'client-key', 'tokenFile']

// A copy of a list item whose file names are absolute (resolved against base).
function absolutePaths(item: Entry, inner: string, base: string): Entry {
  const value = item?.[inner]
  if (!value || typeof value !== 'object') return item
  const out: Entry = { ...(value as Entry) }
  for (const f of FILE_FIELDS) {
    const p = text(out[f])
    if (p !== undefined && !isAbsolute(p)) out[f] = join(base, p)
  }
  return { ...item, [inner]: out }
}

// The ConnectionSpec of a parsed kubeconfig's current (or given) context; `base` resolves relative file names.
export function kubeconfigSpec(doc: Entry, base: string, what: string, context?: string): KubeconfigReading {
  const ctxName = context ?? text(doc['current-context'])
  const ctx = named(doc, 'contexts', 'context', ctxName)
  if (!ctx) throw new Error(`kubeconfig ${what}: no context ${JSON.stringify(ctxName ?? '')}`)
  const cluster = named(doc, 'clusters', 'cluster', text(ctx['cluster']))
  if (!cluster) throw new Error(`kubeconfig ${what}: context ${ctxName} names no known cluster`)
  const server = text(cluster['server'])
  if (!server) throw new Error(`kubeconfig ${what}: cluster ${String(ctx['cluster'])} has no server`)
  const path = (v: unknown) => {
    const p = text(v)
    return p === undefined ? undefined : isAbsolute(p) ? p : join(base, p)
  }
  // The bytes of `<name>-data` (base64) or of the file `<name>`.
  const bytes = (e: Entry, name: string): Buffer | undefined => {
    const data = text(e[`${name}-data`])
    if (data) return Buffer.from(data, 'base64')
    const file = path(e[name])
    return file === undefined ? undefined : readFileSync(file)
  }
  const clusterPart: ConnectionSpec = {
    server,
    ca: bytes(cluster, 'certificate-authority'),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: text(cluster['tls-server-name']),
  }
  const user = named(doc, 'users', 'user', text(ctx['user'])) ?? {}
  for (const key of ['exec', 'auth-provider', 'as', 'as-groups', 'as-user-extra'])
    if (user[key] !== undefined)
      return { spec: clusterPart, unsupported: `user ${String(ctx['user'])} uses ${key}` }
  if (cluster['proxy-url'] !== undefined)
    return { spec: clusterPart, unsupported: 'the cluster uses proxy-url' }
  return {
    spec: {
      ...clusterPart,
      cert: bytes(user, 'client-certificate'),
      key: bytes(user, 'client-key'),
      token: text(user['token']),
      tokenFile: path(user['tokenFile']),
      username: text(user['username']),
      password: text(user['password']),
    },
  }
}
