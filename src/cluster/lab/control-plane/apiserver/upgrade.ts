// Upgraded requests: pods/exec, pods/attach and pods/portforward over WebSocket or SPDY/3.1; checks the pod first so errors are plain HTTP Statuses.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { V1Pod } from '@kubernetes/client-node'
import { WebSocketServer, type WebSocket } from 'ws'
import { attachOutput } from './attach.ts'
import { SPDY_EXEC_PROTOCOLS, serveExecSpdy, socketTransport } from './exec-spdy.ts'
import { EXEC_PROTOCOLS, relayExec } from './exec-websocket.ts'
import { writeRawStatus } from './http-io.ts'
import type { PodStreams } from './pod-streams.ts'
import { PORT_FORWARD_PROTOCOLS, servePortForward, servePortForwardSpdy } from './portforward-websocket.ts'
import { parseApiPath, parseRequestTarget } from './routes.ts'
import { StatusError, badRequest, notFound } from './status-error.ts'
import type { Store } from './store.ts'

/** What the upgrade handler needs from the API server. */
export interface UpgradeOptions {
  store: Store
  /** Without it exec and port-forward are 404, as logs are without a log source. */
  podStreams?: PodStreams
}

// The protocol to answer with: the first of ours the client offered (Sec-WebSocket-Protocol is a comma list).
export function pickProtocol(header: string | undefined, ours: readonly string[]): string | undefined {
  const offered = new Set((header ?? '').split(',').map((p) => p.trim()))
  return ours.find((p) => offered.has(p))
}

/** The server's 'upgrade' listener, which also ends every upgraded connection when the server closes. */
export interface UpgradeHandler {
  (req: IncomingMessage, socket: Duplex, head: Buffer): void
  // Destroys every upgraded connection (their exec commands and relays are then killed).
  closeAll(): void
}

// Handles the server's 'upgrade' event; anything it cannot serve gets a Status response.
export function upgradeHandler(opts: UpgradeOptions): UpgradeHandler {
  const sockets = new Set<Duplex>()
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    serveUpgrade(opts, req, socket, head).catch((err: unknown) => {
      if (socket.destroyed) return
      writeRawStatus(
        socket,
        err instanceof StatusError
          ? err
          : new StatusError(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`),
      )
    })
  }
  return Object.assign(handle, {
    closeAll: () => {
      for (const socket of sockets) socket.destroy()
    },
  })
}

async function serveUpgrade(
  opts: UpgradeOptions,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  // The same target rules as every other request (no dot segments, no bad escapes).
  const url = parseRequestTarget(req.url, req.method ?? 'GET')
  const t = parseApiPath(url.pathname)
  const sub = t?.subresource
  if (
    !t ||
    t.info.resource !== 'pods' ||
    !t.namespace ||
    !t.name ||
    (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward')
  ) {
    throw new StatusError(
      404,
      'NotFound',
      `the server could not find the requested resource (${url.pathname})`,
    )
  }
  const pod = opts.store.get('pods', t.namespace, t.name) as V1Pod | undefined
  if (!pod) throw notFound('pods', '', t.name)
  if (!opts.podStreams)
    throw new StatusError(
      404,
      'NotFound',
      `no kubelet: the svcnet lab API server was started without pod streams`,
    )
  if (sub !== 'portforward') checkContainer(pod, t.name, url.searchParams.get('container') || undefined)
  const upgrade = (req.headers.upgrade ?? '').toLowerCase()
  const spdy = upgrade === 'spdy/3.1'
  if (upgrade !== 'websocket' && !spdy)
    throw badRequest(`pods/${sub} needs an upgrade to WebSocket or SPDY/3.1, not ${JSON.stringify(upgrade)}`)
  // WebSocket names its subprotocol in Sec-WebSocket-Protocol, SPDY in X-Stream-Protocol-Version.
  const offered = spdy ? headerText(req, 'x-stream-protocol-version') : req.headers['sec-websocket-protocol']
  const streams = opts.podStreams
  const namespace = t.namespace
  const name = t.name
  if (sub === 'exec' || sub === 'attach') {
    const protocol = pickProtocol(offered, spdy ? SPDY_EXEC_PROTOCOLS : EXEC_PROTOCOLS)
    if (!protocol) throw badRequest(`no supported ${sub} protocol offered (${offered ?? 'none'})`)
    const q = url.searchParams
    const command = q.getAll('command')
    if (sub === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command')
    const container = q.get('container') || undefined
    const yes = (k: string) => q.get(k) === 'true' || q.get(k) === '1'
    const want = { stdin: yes('stdin'), stdout: yes('stdout'), stderr: yes('stderr'), tty: yes('tty') }
    const target = { namespace, pod: name, container }
    const proc =
      sub === 'exec'
        ? await streams.exec({ ...target, command, tty: want.tty })
        : await attachOutput(streams, target)
    if (spdy) {
      switchToSpdy(socket, protocol)
      return serveExecSpdy(socketTransport(socket, head), proc, command, want, protocol)
    }
    const ws = await accept(req, socket, head, protocol).catch((err: unknown) => {
      proc.kill()
      throw err
    })
    return relayExec(ws, proc, command, want)
  }
  const connect = (port: number) => streams.portForward({ namespace, pod: name, port })
  if (spdy) {
    if (!pickProtocol(offered, ['portforward.k8s.io']))
      throw badRequest(`no supported port-forward protocol offered (${offered ?? 'none'})`)
    switchToSpdy(socket, 'portforward.k8s.io')
    return servePortForwardSpdy(socketTransport(socket, head), connect)
  }
  const protocol = pickProtocol(offered, PORT_FORWARD_PROTOCOLS)
  if (!protocol) throw badRequest(`no supported port-forward subprotocol offered (${offered ?? 'none'})`)
  const ports = url.searchParams.getAll('ports').flatMap((p) => p.split(','))
  servePortForward(await accept(req, socket, head, protocol), ports, connect)
}

// A request header as one comma-separated text (Node joins repeated custom headers the same way).
function headerText(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

// Answers a SPDY upgrade: 101 with the chosen stream protocol; the socket then carries SPDY frames.
function switchToSpdy(socket: Duplex, protocol: string): void {
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  )
}

function checkContainer(pod: V1Pod, name: string, container: string | undefined): void {
  const names = (pod.spec?.containers ?? []).map((c) => c.name)
  if (container !== undefined && !names.includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`)
}

// Completes the WebSocket handshake with the chosen subprotocol.
function accept(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket> {
  // ws refuses `SPDY/3.1+portforward.k8s.io` (a `/` is not a token character), so it sees a placeholder and answers
  // with the protocol chosen from the real header.
  req.headers['sec-websocket-protocol'] = 'svcnet-lab'
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => protocol })
  return new Promise((resolve) => wss.handleUpgrade(req, socket, head, resolve))
}
