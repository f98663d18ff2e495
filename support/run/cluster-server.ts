// The orchestrator's side of the shared cluster: runs the workers' commands outside the cluster and on its nodes.
// A Unix socket in a directory only root (the run's user) can enter: never a TCP port, since it runs commands on nodes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { rm } from 'node:fs/promises'
import type { Cluster } from '../../src/cluster/provider.ts'
import { RunError } from '../../src/exec/run-error.ts'

/** One command a worker asks for. */
export interface RunRequest {
  /** `outside`: on the client outside the cluster; `node`: on that node. */
  on: 'outside' | 'node'
  node?: string
  argv: string[]
  timeoutMs?: number
}

/** The answer: the command's result, or the error it threw (a RunError keeps its fields). */
export type RunReply =
  | { result: Awaited<ReturnType<Cluster['runOutside']>> }
  | { error: { name: string; message: string; run?: RunErrorFields } }

/** A RunError's fields, as they cross the socket. */
export interface RunErrorFields {
  argv: string[]
  exitCode?: number
  signal?: string
  stdout: string
  stderr: string
  timedOut: boolean
}

// Serves the cluster's runOutside and runOnNode on the socket; resolves once listening, with the function that stops it.
export async function serveCluster(cluster: Cluster, socket: string): Promise<() => Promise<void>> {
  await rm(socket, { force: true })
  const server = createServer((req, res) => void answer(cluster, req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`serving the cluster on ${socket}: ${err.message}`)))
    server.listen(socket, resolve)
  })
  return async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await rm(socket, { force: true })
  }
}

// Runs one request and writes its reply.
async function answer(cluster: Cluster, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: RunReply
  try {
    if (req.method !== 'POST' || req.url !== '/run')
      throw new Error(`no ${req.method} ${req.url}: only POST /run`)
    const r = JSON.parse(await body(req)) as RunRequest
    if (!Array.isArray(r.argv) || r.argv.length === 0) throw new Error('a request needs a non-empty argv')
    const result =
      r.on === 'outside'
        ? await cluster.runOutside(r.argv, r.timeoutMs)
        : await cluster.runOnNode(String(r.node), r.argv, r.timeoutMs)
    reply = { result }
  } catch (err) {
    reply = { error: errorReply(err) }
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify(reply))
}

// An error as it crosses the socket.
function errorReply(err: unknown): { name: string; message: string; run?: RunErrorFields } {
  if (err instanceof RunError) {
    const run: RunErrorFields = {
      argv: [...err.argv],
      stdout: err.stdout,
      stderr: err.stderr,
      timedOut: err.timedOut,
      ...(err.exitCode !== undefined ? { exitCode: err.exitCode } : {}),
      ...(err.signal !== undefined ? { signal: err.signal } : {}),
    }
    return { name: err.name, message: err.message, run }
  }
  const e = err instanceof Error ? err : new Error(String(err))
  return { name: e.name, message: e.message }
}

// The request's body as text.
async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
