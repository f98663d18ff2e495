// pods/portforward over a WebSocket: SPDY/3.1 tunnelled in binary messages (kubectl 1.31+), or channel.k8s.io (client-node).
import type { WebSocket } from 'ws'
import { CHANNEL, EXEC_PROTOCOLS, channelFrame } from './exec-websocket.ts'
import type { PodProcess } from './pod-streams.ts'
import {
  FLAG_FIN,
  FRAME,
  HeaderDeflater,
  HeaderInflater,
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  parseFrames,
  u32,
} from './spdy-frames.ts'

const SPDY_TUNNEL = 'SPDY/3.1+portforward.k8s.io'

/** Port-forward subprotocols served, most preferred first. */
export const PORT_FORWARD_PROTOCOLS = [SPDY_TUNNEL, ...EXEC_PROTOCOLS] as const

/** Opens a connection to a port of the pod (the kubelet's relay). */
export type ConnectPort = (port: number) => Promise<PodProcess>

// Serves one upgraded port-forward WebSocket until either side closes it.
export function servePortForward(ws: WebSocket, ports: readonly string[], connect: ConnectPort): void {
  if (ws.protocol === SPDY_TUNNEL) return serveSpdy(ws, connect)
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

/** One SPDY stream kubectl opened: `error` or `data`, for a port, paired by requestID. */
interface SpdyStream {
  id: number
  type: string
  port: number | undefined
  requestId: string
  proc?: PodProcess
  /** Client bytes that arrived before the relay was up. */
  pending: Buffer[]
  clientDone: boolean
  closed: boolean
  /** kubectl sent RST_STREAM (it is done with the stream). */
  reset?: boolean
}

function serveSpdy(ws: WebSocket, connect: ConnectPort): void {
  let buf = Buffer.alloc(0)
  const inflater = new HeaderInflater()
  const deflater = new HeaderDeflater()
  const streams = new Map<number, SpdyStream>()
  const send = (frame: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(frame)
  }
  const finish = (s: SpdyStream | undefined) => {
    if (!s || s.closed) return
    s.closed = true
    send(dataFrame(s.id, FLAG_FIN, Buffer.alloc(0)))
  }
  const errorStreamOf = (requestId: string) =>
    [...streams.values()].find((s) => s.type === 'error' && s.requestId === requestId)

  const startData = (s: SpdyStream) => {
    // A relay killed because kubectl reset the stream is no error: kubectl 1.32 ends port-forward on any.
    const fail = (text: string) => {
      const e = errorStreamOf(s.requestId)
      if (e && !e.closed && !s.reset) send(dataFrame(e.id, 0, Buffer.from(text)))
    }
    if (s.port === undefined) {
      fail(`invalid port header on the data stream of request ${s.requestId}`)
      finish(s)
      return finish(errorStreamOf(s.requestId))
    }
    connect(s.port).then(
      (proc) => {
        s.proc = proc
        for (const chunk of s.pending.splice(0)) proc.stdin.write(chunk)
        if (s.clientDone) proc.stdin.end()
        if (s.closed) return proc.kill()
        pipeRelay(
          proc,
          s.port!,
          (chunk) => send(dataFrame(s.id, 0, chunk)),
          fail,
          () => {
            finish(s)
            finish(errorStreamOf(s.requestId))
          },
        )
      },
      (err: Error) => {
        fail(`error forwarding port ${s.port} to pod: ${err.message}`)
        finish(s)
        finish(errorStreamOf(s.requestId))
      },
    )
  }

  const onControl = (type: number, flags: number, body: Buffer) => {
    if (type === FRAME.synStream) {
      const id = body.readUInt32BE(0) & 0x7fffffff
      const headers = decodeHeaderBlock(inflater.next(body.subarray(10)))
      send(controlFrame(FRAME.synReply, 0, Buffer.concat([u32(id), deflater.next(encodeHeaderBlock({}))])))
      const s: SpdyStream = {
        id,
        type: headers.streamtype ?? '',
        port: portOf(headers.port),
        requestId: headers.requestid ?? '',
        pending: [],
        clientDone: (flags & FLAG_FIN) !== 0,
        closed: false,
      }
      streams.set(id, s)
      if (s.type === 'data') startData(s)
    } else if (type === FRAME.rstStream) {
      const s = streams.get(body.readUInt32BE(0) & 0x7fffffff)
      if (s) {
        s.closed = true
        s.reset = true
        s.proc?.kill()
      }
    } else if (type === FRAME.ping) {
      send(controlFrame(FRAME.ping, 0, body))
    } else if (type === FRAME.goAway) {
      ws.close(1000)
    } else if (type === FRAME.headers) {
      inflater.next(body.subarray(4))
    }
    // SETTINGS and WINDOW_UPDATE need no answer: the lab does not limit what it sends.
  }

  ws.on('message', (raw: Buffer) => {
    buf = Buffer.concat([buf, raw])
    const { frames, rest } = parseFrames(buf)
    buf = Buffer.from(rest)
    for (const f of frames) {
      if (f.control) {
        onControl(f.type, f.flags, f.body)
        continue
      }
      const s = streams.get(f.streamId)
      if (!s || s.type !== 'data') continue
      if (f.data.length > 0) {
        if (s.proc) s.proc.stdin.write(f.data)
        else s.pending.push(Buffer.from(f.data))
      }
      if (f.flags & FLAG_FIN) {
        s.clientDone = true
        s.proc?.stdin.end()
      }
    }
  })
  ws.on('close', () => {
    for (const s of streams.values()) s.proc?.kill()
  })
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
