// pods/attach in the lab: the container's output (its log, from the start) until it terminates; with stdin, what
// the client sends goes to the container's stdin (containers with `stdin: true`; elsewhere it goes nowhere).
import { Readable, Writable } from 'node:stream'
import type { PodProcess, PodStreams } from './pod-streams.ts'

// The attached "process": stdout is the followed log; it ends (exit 0) when the container terminates or on kill().
export async function attachOutput(
  streams: PodStreams,
  req: { namespace: string; pod: string; container: string | undefined },
): Promise<PodProcess> {
  const stop = new AbortController()
  const chunks = streams.followLog(req, stop.signal)[Symbol.asyncIterator]()
  // The first read surfaces an unknown pod or a container that never started before the upgrade.
  const first = await chunks.next()
  async function* all(): AsyncGenerator<Buffer> {
    if (first.done) return
    yield first.value
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value
  }
  const stdout = Readable.from(all(), { objectMode: false })
  const exited = new Promise<{ exitCode: number | undefined; signal: string | undefined; error?: Error }>(
    (resolve) => {
      stdout.on('end', () => resolve({ exitCode: 0, signal: undefined }))
      stdout.on('error', (error: Error) => resolve({ exitCode: undefined, signal: undefined, error }))
    },
  )
  const target = streams.attachStdin?.(req)
  return {
    stdin: new Writable({
      write: (chunk: Buffer, _enc, done) => {
        // A container that has exited (or closed its stdin) drops what arrives, as a closed pipe would.
        if (!target || target.stdin.writableEnded || target.stdin.destroyed) return done()
        target.stdin.write(chunk, () => done())
      },
      // The client closed its stdin: with stdinOnce the container's stdin closes too (kubectl run -i --rm).
      final: (done) => {
        if (target?.once && !target.stdin.writableEnded) target.stdin.end()
        done()
      },
    }),
    stdout,
    stderr: Readable.from([]),
    exited,
    kill: () => stop.abort(),
  }
}
