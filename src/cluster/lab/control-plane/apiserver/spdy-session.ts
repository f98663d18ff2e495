// The server side of a SPDY/3.1 session (moby/spdystream as client-go speaks it): streams the client opens, their
// data and half-closes, PING answers; over a raw upgraded socket or tunnelled in WebSocket binary messages.
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

/** What carries the session's bytes. */
export interface FrameTransport {
  send(bytes: Buffer): void
  onData(listener: (bytes: Buffer) => void): void
  onClose(listener: () => void): void
  close(): void
}

/** One stream the client opened. */
export class SpdyStream {
  readonly id: number
  /** Its SYN_STREAM headers, names lower-cased (`streamtype`, `port`, `requestid`). */
  readonly headers: Record<string, string>
  /** The client half-closed it (FIN). */
  peerDone = false
  /** The client reset it (RST_STREAM). */
  reset = false
  /** We half-closed it. */
  ended = false
  readonly #send: (bytes: Buffer) => void
  #buffered: Buffer[] = []
  #onData: ((data: Buffer) => void) | undefined
  #onEnd: (() => void) | undefined

  constructor(id: number, headers: Record<string, string>, send: (bytes: Buffer) => void) {
    this.id = id
    this.headers = headers
    this.#send = send
  }

  // Sends bytes on the stream (nothing once it is ended or reset).
  write(data: Uint8Array): void {
    if (!this.ended && !this.reset && data.length > 0) this.#send(dataFrame(this.id, 0, data))
  }

  // Half-closes the stream from our side (FIN), once.
  end(): void {
    if (this.ended || this.reset) return
    this.ended = true
    this.#send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)))
  }

  // Receives the client's bytes; those that came before a listener are delivered first.
  onData(listener: (data: Buffer) => void): void {
    this.#onData = listener
    for (const chunk of this.#buffered.splice(0)) listener(chunk)
  }

  // Called once the client half-closes or resets the stream (at once if it already has).
  onEnd(listener: () => void): void {
    this.#onEnd = listener
    if (this.peerDone || this.reset) listener()
  }

  /** @internal */
  received(data: Buffer, fin: boolean): void {
    if (data.length > 0) {
      if (this.#onData) this.#onData(data)
      else this.#buffered.push(Buffer.from(data))
    }
    if (fin && !this.peerDone) {
      this.peerDone = true
      this.#onEnd?.()
    }
  }

  /** @internal */
  resetByPeer(): void {
    if (this.reset) return
    const wasDone = this.peerDone
    this.reset = true
    if (!wasDone) this.#onEnd?.()
  }
}

// Runs a session: every SYN_STREAM gets a SYN_REPLY and is handed to onStream; returns a function ending it.
export function spdySession(
  transport: FrameTransport,
  onStream: (stream: SpdyStream) => void,
  onClose: () => void,
): () => void {
  let buf: Buffer = Buffer.alloc(0)
  const inflater = new HeaderInflater()
  const deflater = new HeaderDeflater()
  const streams = new Map<number, SpdyStream>()
  const send = (bytes: Buffer) => transport.send(bytes)

  const control = (type: number, flags: number, body: Buffer) => {
    if (type === FRAME.synStream) {
      const id = body.readUInt32BE(0) & 0x7fffffff
      const headers = decodeHeaderBlock(inflater.next(body.subarray(10)))
      send(controlFrame(FRAME.synReply, 0, Buffer.concat([u32(id), deflater.next(encodeHeaderBlock({}))])))
      const stream = new SpdyStream(id, headers, send)
      streams.set(id, stream)
      onStream(stream)
      if (flags & FLAG_FIN) stream.received(Buffer.alloc(0), true)
    } else if (type === FRAME.rstStream) {
      streams.get(body.readUInt32BE(0) & 0x7fffffff)?.resetByPeer()
    } else if (type === FRAME.ping) {
      send(controlFrame(FRAME.ping, 0, body))
    } else if (type === FRAME.goAway) {
      transport.close()
    } else if (type === FRAME.headers) {
      inflater.next(body.subarray(4))
    }
    // SETTINGS and WINDOW_UPDATE need no answer: the lab does not limit what it sends.
  }

  transport.onData((bytes) => {
    buf = buf.length === 0 ? bytes : Buffer.concat([buf, bytes])
    const { frames, rest } = parseFrames(buf)
    buf = Buffer.from(rest)
    for (const f of frames) {
      if (f.control) control(f.type, f.flags, f.body)
      else streams.get(f.streamId)?.received(f.data, (f.flags & FLAG_FIN) !== 0)
    }
  })
  transport.onClose(() => {
    for (const s of streams.values()) s.resetByPeer()
    onClose()
  })
  return () => transport.close()
}
