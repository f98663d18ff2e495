// Runs a command inside a pod through the Kubernetes exec API (what `kubectl exec` does), on any provider.
import { Writable } from 'node:stream'
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node'

/** What a command run in a pod printed, and how it ended. */
export interface PodExecResult {
  pod: string
  argv: string[]
  stdout: string
  stderr: string
  /** The command's exit code (from the Status on the exec error channel). */
  exitCode: number
}

// The exit code a finished exec's Status reports: 0 for Success, the ExitCode cause for NonZeroExitCode.
export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message
  if (status.reason === 'NonZeroExitCode' && cause !== undefined && /^\d+$/.test(cause)) return Number(cause)
  throw new Error(
    `the exec failed: ${status.reason ?? 'no reason'}: ${status.message ?? JSON.stringify(status)}`,
  )
}

// A Writable that keeps everything written to it as text.
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk))
      done()
    },
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

// Runs argv in a pod's container and waits for it to end; throws if the exec cannot start, closes early or overruns.
export async function execInPod(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  argv: string[],
  timeoutMs = 30_000,
): Promise<PodExecResult> {
  const out = collector()
  const err = collector()
  const what = `exec in pod ${namespace}/${pod}: ${argv.join(' ')}`
  let finish: (status: V1Status | Error) => void = () => undefined
  const ended = new Promise<V1Status | Error>((resolve) => (finish = resolve))
  const timer = setTimeout(() => finish(new Error(`${what}: no exit status after ${timeoutMs}ms`)), timeoutMs)
  try {
    const ws = await new Exec(kc).exec(
      namespace,
      pod,
      container,
      argv,
      out.stream,
      err.stream,
      null,
      false,
      (s) => finish(s),
    )
    ws.on('close', () => finish(new Error(`${what}: the connection closed without an exit status`)))
    const status = await ended
    ws.close()
    if (status instanceof Error) throw status
    return { pod, argv, stdout: out.text(), stderr: err.text(), exitCode: exitCodeOf(status) }
  } catch (e) {
    throw new Error(`${what} failed: ${(e as Error).message}`, { cause: e })
  } finally {
    clearTimeout(timer)
  }
}
