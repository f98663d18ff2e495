// pods/portforward: SPDY/3.1 (kubectl; tunnelled in WebSocket binary messages since 1.31, or over the upgraded
// socket itself) or channel.k8s.io over WebSocket (client-node).
import type { WebSocket } from 'ws'
import { CHANNEL, EXEC_PROTOCOLS, channelFrame } from './exec-websocket.ts'
import type { PodProcess } from './pod-streams.ts'
import { spdySession, type FrameTransport, type SpdyStream } from './spdy-session.ts'

const SPDY_TUNNEL = 'SPDY/3.1+portforward.k8s.io'

/** Port-forward subprotocols served, most preferred first. */
export const PORT_FORWARD_PROTOCOLS = [SPDY_TUNNEL, ...EXEC_PROTOCOLS] as const

/** Opens a connection to a port of the pod (the kubelet's relay). */
export type ConnectPort = (port: number) => Promise<PodProcess>

// A WebSocket as a SPDY byte stream (KEP-4006 tunnelling: the binary messages carry the frames).
export function webSocketTransport(ws: WebSocket): FrameTransport {
  return {
    send: (bytes) => {
      if (ws.readyState === ws.OPEN) ws.send(bytes)
    },
    onData: (listener) => ws.on('message', (raw: Buffer) => listener(raw)),
    onClose: (listener) => ws.on('close', listener),
    close: () => ws.close(1000),
  }
}

// Serves one upgraded port-forward WebSocket until either side closes it.
export function servePortForward(ws: WebSocket, ports: readonly string[], connect: ConnectPort): void {
  if (ws.protocol === SPDY_TUNNEL) return servePortForwardSpdy(webSocketTransport(ws), connect)
  serveChannels(ws, ports, connect)
}

// Forwards a relay's output to `out`, its failure to `fail`, and calls `end` once it is over.
function pipeRelay(
  proc: PodProcess,
  port: number,
  out: (chunk: Buffer) => void,
  fail: (text: string) => void,
  end: () => void,
): void {
  const errText: Buffer[] = []
  proc.stdout.on('data', out)
  proc.stderr.on('data', (c: Buffer) => errText.push(c))
  void proc.exited.then((ended) => {
    if (ended.exitCode !== 0 || ended.error) {
      const why = Buffer.concat(errText).toString().trim() || ended.error?.message || `exit ${ended.exitCode}`
      fail(`error forwarding port ${port} to pod: ${why}`)
    }
    end()
  })
}

const portOf = (text: string | undefined) => {
  const n = Number(text)
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined
}

// kubectl's protocol: per local connection an `error` and a `data` stream (same requestid, a port header); the
// data stream relays to the pod port, failures are text on the error stream, and both end with the relay.
export function servePortForwardSpdy(transport: FrameTransport, connect: ConnectPort): void {
  const errorStreams = new Map<string, SpdyStream>()
  const procs = new Set<PodProcess>()
  const onStream = (stream: SpdyStream) => {
    const requestId = stream.headers.requestid ?? ''
    if (stream.headers.streamtype === 'error') return void errorStreams.set(requestId, stream)
    if (stream.headers.streamtype !== 'data') return
    // A relay killed because kubectl reset the stream is no error: kubectl 1.32 ends port-forward on any.
    const fail = (text: string) => {
      if (!stream.reset) errorStreams.get(requestId)?.write(Buffer.from(text))
    }
    const finish = () => {
      stream.end()
      errorStreams.get(requestId)?.end()
      errorStreams.delete(requestId)
    }
    const port = portOf(stream.headers.port)
    if (port === undefined) {
      fail(
        `invalid port header ${JSON.stringify(stream.headers.port)} on the data stream of request ${requestId}`,
      )
      return finish()
    }
    connect(port).then(
      (proc) => {
        procs.add(proc)
        stream.onData((data) => proc.stdin.write(data))
        stream.onEnd(() => (stream.reset ? proc.kill() : proc.stdin.end()))
        pipeRelay(
          proc,
          port,
          (chunk) => stream.write(chunk),
          fail,
          () => {
            procs.delete(proc)
            finish()
          },
        )
      },
      (err: Error) => {
        fail(`error forwarding port ${port} to pod: ${err.message}`)
        finish()
      },
    )
  }
  spdySession(transport, onStream, () => procs.forEach((p) => p.kill()))
}

// client-node's protocol: per port a data channel (2i) and an error channel (2i+1), each opened with the port number.
function serveChannels(ws: WebSocket, ports: readonly string[], connect: ConnectPort): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io'
  const send = (channel: number, data: Uint8Array) => {
    if (ws.readyState === ws.OPEN) ws.send(channelFrame(channel, data))
  }
  const numbers = ports.map(portOf)
  if (numbers.length === 0 || numbers.some((p) => p === undefined)) {
    ws.close(1008, `port-forward needs ?ports=N[,M] with ports 1-65535, got ${JSON.stringify(ports)}`)
    return
  }
  const procs: (PodProcess | undefined)[] = []
  const pending: Buffer[][] = numbers.map(() => [])
  let open = numbers.length
  numbers.forEach((port, i) => {
    const le = Buffer.alloc(2)
    le.writeUInt16LE(port!, 0)
    send(2 * i, le)
    send(2 * i + 1, le)
    connect(port!).then(
      (proc) => {
        procs[i] = proc
        for (const chunk of pending[i]!.splice(0)) proc.stdin.write(chunk)
        pipeRelay(
          proc,
          port!,
          (chunk) => send(2 * i, chunk),
          (text) => send(2 * i + 1, Buffer.from(text)),
          () => {
            if (--open === 0) ws.close(1000)
          },
        )
      },
      (err: Error) => {
        send(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod: ${err.message}`))
        if (--open === 0) ws.close(1000)
      },
    )
  })
  ws.on('message', (raw: Buffer) => {
    if (raw.length === 0) return
    if (v5 && raw[0] === CHANNEL.close) {
      const i = raw[1]! / 2
      procs[i]?.stdin.end()
      return
    }
    const channel = raw[0]!
    if (channel % 2 !== 0) return
    const data = raw.subarray(1)
    const proc = procs[channel / 2]
    if (proc) proc.stdin.write(data)
    else pending[channel / 2]?.push(Buffer.from(data))
  })
  ws.on('close', () => procs.forEach((p) => p?.kill()))
}
