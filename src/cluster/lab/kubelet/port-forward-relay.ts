// Run inside a pod's network namespace: relays stdin/stdout to 127.0.0.1:<port> there (one port-forward connection).
import { connect } from 'node:net'

// Pipes stdin to a TCP connection and the connection to stdout; a failed connect is one line on stderr and exit 1.
export function relay(host: string, port: number): void {
  const socket = connect({ host, port })
  socket.on('connect', () => {
    process.stdin.pipe(socket)
    socket.pipe(process.stdout)
  })
  socket.on('error', (err: NodeJS.ErrnoException) => {
    process.stderr.write(
      `failed to connect to localhost:${port} inside the pod: ${err.code ?? err.message}\n`,
      () => process.exit(1),
    )
  })
  socket.on('close', (hadError) => {
    if (!hadError) process.stdout.end(() => process.exit(0))
  })
}

if (import.meta.main) {
  const [host, port] = process.argv.slice(2)
  if (!host || !Number.isInteger(Number(port))) {
    process.stderr.write(`usage: port-forward-relay.ts HOST PORT (got ${process.argv.slice(2).join(' ')})\n`)
    process.exit(2)
  }
  relay(host, Number(port))
}
