// A TCP → unix socket forwarder: lets nodes and pods reach the API server listening on a host unix socket.
import { createConnection, createServer, type Socket } from 'node:net'
import { runCommand, UsageError, type CommandSpec } from '../../../flags/command.ts'

/** A running forwarder. */
export interface Forwarder {
  /** The address actually listened on (port resolved when 0 was asked for). */
  address: { host: string; port: number }
  // Stops listening and closes every open connection.
  close(): Promise<void>
}

// Listens on host:port and pipes each TCP connection to the unix socket, both ways.
export async function runForwarder(
  listen: { host: string; port: number },
  unixSocket: string,
): Promise<Forwarder> {
  const open = new Set<Socket>()
  // Half-open allowed on both sides: a client may send its request, shut down writing, then read the answer.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = createConnection({ path: unixSocket, allowHalfOpen: true })
    open.add(client)
    open.add(upstream)
    // Either side failing or fully closing ends the pair; errors here are a peer going away, not ours to report.
    const end = (): void => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new Error(`forwarder: cannot listen on ${listen.host}:${listen.port}: ${err.message}`, {
          cause: err,
        }),
      ),
    )
    server.listen(listen.port, listen.host, () => resolve())
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : listen.port
  return {
    address: { host: listen.host, port },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of open) s.destroy()
        open.clear()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

// Parses "host:port" (host may be empty for 0.0.0.0).
export function parseListen(value: string): { host: string; port: number } {
  const i = value.lastIndexOf(':')
  const host = i > 0 ? value.slice(0, i) : '0.0.0.0'
  const port = Number(i >= 0 ? value.slice(i + 1) : value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--listen: expected host:port, got "${value}"`)
  }
  return { host, port }
}

/** `svcnet lab forward`: internal, started by the lab in its namespaces. */
export const FORWARD_COMMAND: CommandSpec = {
  name: 'svcnet lab forward',
  summary:
    'Forwards TCP connections to a unix socket until SIGTERM or SIGINT (the lab starts it in its namespaces).',
  flags: {
    listen: { type: 'string', value: 'HOST:PORT', description: 'where to listen' },
    to: { type: 'string', value: 'UNIX_SOCKET', description: 'the socket to forward to' },
  },
}

// `svcnet lab forward --listen 0.0.0.0:6443 --to <runDir>/apiserver.sock`: runs until SIGTERM or SIGINT.
export async function forwardCommand(argv: string[]): Promise<number> {
  return runCommand(FORWARD_COMMAND, argv, async ({ flags }) => {
    if (typeof flags.listen !== 'string' || typeof flags.to !== 'string') {
      throw new UsageError('both --listen and --to are required')
    }
    const listen = parseListen(flags.listen)
    const to = flags.to
    const forwarder = await runForwarder(listen, to)
    process.stderr.write(`svcnet lab forward: ${listen.host}:${forwarder.address.port} → ${to}\n`)
    const sig = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'))
      process.once('SIGINT', () => resolve('SIGINT'))
    })
    await forwarder.close()
    process.stderr.write(`svcnet lab forward: stopped on ${sig}\n`)
    return 0
  })
}
