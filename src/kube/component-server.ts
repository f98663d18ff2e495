// A component's small HTTP servers (health, readiness, metrics), as the kube-proxy and the DNS serve them.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

// process.getBuiltinModule, not `import … from 'node:http'`: the ES module facade of node:http reads every export,
// which loads Node's bundled undici for http.WebSocket (≈ 35 ms of CPU at each proxy and DNS start).
const { createServer } = process.getBuiltinModule('node:http')

/** Answer of one request: status, content type and body. */
export interface HttpAnswer {
  status: number
  type: string
  body: string
  headers?: Record<string, string>
}

// Splits "host:port" (IPv6 in brackets) into listen arguments.
export function parseBindAddress(addr: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr)
  const port = Number(m?.[3])
  if (!m || !(port >= 0 && port <= 65535))
    throw new Error(`invalid ${flag} ${JSON.stringify(addr)}: want host:port`)
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port }
}

// Starts an HTTP server answering with `answer`; resolves once listening.
export async function serve(
  addr: { host: string; port: number },
  answer: (path: string) => HttpAnswer | Promise<HttpAnswer>,
): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (a: HttpAnswer) => {
      res.writeHead(a.status, { 'Content-Type': a.type, 'X-Content-Type-Options': 'nosniff', ...a.headers })
      res.end(a.body)
    }
    Promise.resolve(answer(new URL(req.url ?? '/', 'http://x').pathname)).then(reply, (err: unknown) =>
      reply({ status: 500, type: 'text/plain', body: `${(err as Error).message}\n` }),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new Error(`cannot listen on ${addr.host}:${addr.port}: ${err.message}`, { cause: err })),
    )
    server.listen(addr.port, addr.host, () => resolve())
  })
  return server
}
