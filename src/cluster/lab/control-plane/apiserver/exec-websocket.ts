// pods/exec over a WebSocket (channel.k8s.io v1–v5): stdin/stdout/stderr channels and the exit status on the error channel.
import type { WebSocket } from 'ws'
import type { PodProcess } from './pod-streams.ts'

/** The exec subprotocols served, most preferred first (kubectl 1.31+ and client-node offer v5 first). */
export const EXEC_PROTOCOLS = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
] as const

/** Channel numbers: the first byte of every binary message. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const

// The metav1.Status written on the error channel when a command ends (v4+): how kubectl learns the exit code.
export function exitStatus(
  command: readonly string[],
  ended: { exitCode: number | undefined; signal: string | undefined; error?: Error },
): Record<string, unknown> {
  if (ended.error) {
    return {
      metadata: {},
      status: 'Failure',
      message: `error executing command [${command.join(' ')}]: ${ended.error.message}`,
      reason: 'InternalError',
      code: 500,
    }
  }
  if (ended.exitCode === 0) return { metadata: {}, status: 'Success' }
  // A command killed by a signal exits 128+n in a shell; the lab reports the same number.
  const code = ended.exitCode ?? 128 + signalNumber(ended.signal)
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  }
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 }
const signalNumber = (signal: string | undefined) => (signal ? (SIGNALS[signal] ?? 1) : 1)

// Prefixes a payload with its channel byte.
export function channelFrame(channel: number, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length + 1)
  out[0] = channel
  out.set(data, 1)
  return out
}

/** What the client asked for in the exec query. */
export interface ExecStreams {
  stdin: boolean
  stdout: boolean
  stderr: boolean
  tty: boolean
}

// Relays one exec session between an upgraded WebSocket and the process; ends the socket once the status is sent.
export function relayExec(
  ws: WebSocket,
  proc: PodProcess,
  command: readonly string[],
  want: ExecStreams,
): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io'
  const statusAsJson = v5 || ws.protocol === 'v4.channel.k8s.io'
  let done = false
  const send = (channel: number, data: Uint8Array) => {
    if (ws.readyState === ws.OPEN) ws.send(channelFrame(channel, data))
  }
  if (!want.stdin) proc.stdin.end()
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const data = isBinary ? raw : Buffer.from(raw)
    if (data.length === 0) return
    if (v5 && data[0] === CHANNEL.close) {
      if (data[1] === CHANNEL.stdin) proc.stdin.end()
      return
    }
    if (data[0] === CHANNEL.stdin && want.stdin && !proc.stdin.writableEnded)
      proc.stdin.write(data.subarray(1))
  })
  ws.on('close', () => {
    if (!done) proc.kill()
  })
  proc.stdout.on('data', (chunk: Buffer) => {
    if (want.stdout) send(CHANNEL.stdout, chunk)
  })
  // With a TTY there is one output stream, as a terminal merges them.
  proc.stderr.on('data', (chunk: Buffer) => {
    if (want.stderr || want.tty) send(want.tty ? CHANNEL.stdout : CHANNEL.stderr, chunk)
  })
  void proc.exited.then((ended) => {
    done = true
    const status = exitStatus(command, ended)
    if (statusAsJson) send(CHANNEL.error, Buffer.from(JSON.stringify(status)))
    else if (status.status !== 'Success') send(CHANNEL.error, Buffer.from(String(status.message)))
    ws.close(1000)
  })
}
