// pods/exec and pods/attach over a plain SPDY/3.1 upgrade (kubectl's fallback, older clients): one stream per
// channel, named by its `streamtype` header; the exit status goes on the `error` stream.
import type { Duplex } from 'node:stream'
import { exitStatus, type ExecStreams } from './exec-websocket.ts'
import type { PodProcess } from './pod-streams.ts'
import { spdySession, type FrameTransport, type SpdyStream } from './spdy-session.ts'

/** The remote-command protocols served over SPDY, most preferred first (v4 reports the exit code as a Status). */
export const SPDY_EXEC_PROTOCOLS = [
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
]

/** How long the client has to open the streams it asked for. */
const STREAMS_TIMEOUT_MS = 30_000

// An upgraded socket as a SPDY byte stream; `head` holds the bytes read past the request.
export function socketTransport(socket: Duplex, head: Buffer): FrameTransport {
  return {
    send: (bytes) => {
      if (socket.writable) socket.write(bytes)
    },
    onData: (listener) => {
      if (head.length > 0) queueMicrotask(() => listener(head))
      socket.on('data', listener)
    },
    onClose: (listener) => socket.on('close', listener),
    close: () => socket.end(),
  }
}

// Relays one command once the client has opened its streams; ends them after the exit status.
export function serveExecSpdy(
  transport: FrameTransport,
  proc: PodProcess,
  command: readonly string[],
  want: ExecStreams,
  protocol: string,
): void {
  const streams = new Map<string, SpdyStream>()
  const expected = ['error']
  if (want.stdin) expected.push('stdin')
  if (want.stdout) expected.push('stdout')
  if (want.stderr && !want.tty) expected.push('stderr')
  let started = false
  let exited = false
  const start = () => {
    started = true
    const stdin = streams.get('stdin')
    if (stdin) {
      stdin.onData((data) => proc.stdin.write(data))
      stdin.onEnd(() => proc.stdin.end())
    } else proc.stdin.end()
    const out = streams.get('stdout')
    const err = want.tty ? out : streams.get('stderr')
    proc.stdout.on('data', (chunk: Buffer) => out?.write(chunk))
    proc.stderr.on('data', (chunk: Buffer) => err?.write(chunk))
    void proc.exited.then((ended) => {
      exited = true
      const status = exitStatus(command, ended)
      const errorStream = streams.get('error')
      if (protocol === 'v4.channel.k8s.io') errorStream?.write(Buffer.from(JSON.stringify(status)))
      else if (status.status !== 'Success') errorStream?.write(Buffer.from(String(status.message)))
      for (const s of streams.values()) s.end()
    })
  }
  const timer = setTimeout(() => {
    if (started) return
    proc.kill()
    close()
  }, STREAMS_TIMEOUT_MS)
  const close = spdySession(
    transport,
    (stream) => {
      streams.set(stream.headers.streamtype ?? '', stream)
      if (!started && expected.every((t) => streams.has(t))) {
        clearTimeout(timer)
        start()
      }
    },
    () => {
      clearTimeout(timer)
      if (!exited) proc.kill()
    },
  )
}
