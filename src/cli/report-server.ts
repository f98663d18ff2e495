// Serves one folder (the HTML report) over HTTP on 127.0.0.1 only: GET and HEAD of files inside it, nothing outside.
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'

/** The only address the report server listens on. */
export const REPORT_HOST = '127.0.0.1'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
}

/** A running report server. */
export interface ReportServer {
  url: string
  server: Server
  close(): Promise<void>
}

// Starts serving `root` on 127.0.0.1:port (0: any free port); resolves once listening.
export async function serveReport(root: string, port: number): Promise<ReportServer> {
  const base = await realpath(root)
  const server = createServer((req, res) => {
    handle(base, req, res).catch((err: Error) => reply(res, 500, `serving ${req.url}: ${err.message}`))
  })
  await new Promise<void>((done, fail) => {
    server.once('error', (err) =>
      fail(new Error(`serving ${root} on ${REPORT_HOST}:${port}: ${err.message}`)),
    )
    server.listen(port, REPORT_HOST, done)
  })
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://${REPORT_HOST}:${bound}/`,
    server,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

// The file a request path names inside `base`, or undefined when it names nothing inside it (pure).
export function fileInside(base: string, urlPath: string): string | undefined {
  let path: string
  try {
    path = decodeURIComponent(new URL(urlPath, 'http://report').pathname)
  } catch {
    return undefined
  }
  if (path.includes('\0')) return undefined
  const target = resolve(base, `.${path}`)
  const rel = relative(base, target)
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined
  return path.endsWith('/') ? join(target, 'index.html') : target
}

// Answers one request: a file inside the folder (symlinks may not lead out of it), else 404.
async function handle(base: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, `${req.method} is not served`)
  const file = fileInside(base, req.url ?? '/')
  const real = file ? await realpath(file).catch(() => undefined) : undefined
  const info = real ? await stat(real).catch(() => undefined) : undefined
  if (!real || !info?.isFile() || !isInside(base, real)) return reply(res, 404, `not found: ${req.url}`)
  res.writeHead(200, {
    'content-type': TYPES[extname(real)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  if (req.method === 'HEAD') return void res.end()
  createReadStream(real).pipe(res)
}

// True when `path` is `base` or below it.
function isInside(base: string, path: string): boolean {
  const rel = relative(base, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

// A short plain-text answer.
function reply(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(`${text}\n`)
}
