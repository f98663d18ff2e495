// The kubelet's streaming endpoints for the API server: exec into a pod, relay to a pod port, follow a container log.
import { open, watch } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { V1Pod } from '@kubernetes/client-node'
import { shellQuote } from '../../../exec/run-error.ts'
import { startPiped } from '../../../exec/run.ts'
import type { PodProcess, PodStreams } from '../control-plane/apiserver/pod-streams.ts'
import { StatusError, notFound } from '../control-plane/apiserver/status-error.ts'
import type { Store } from '../control-plane/apiserver/store.ts'
import { StreamStamper } from './log-times.ts'
import { containerLogPath, tailLines, type PodLogSource } from './pod-logs.ts'

/** What pod streams need from the kubelet (LabKubelet implements it): its log reading (PodLogSource, which throws
 * the Status a client should see: unknown pod, bad container, not started) and more. */
export interface StreamingKubelet extends PodLogSource {
  // The argv that runs a command inside a running container; throws when it is not running.
  execArgv(namespace: string, pod: string, argv: readonly string[], container?: string): string[]
  // The network namespace of a running pod, or undefined.
  podNetns(namespace: string, pod: string): string | undefined
  // The stdin of a running container started with `stdin: true`, and whether it is stdinOnce; else undefined.
  containerStdin?(
    namespace: string,
    pod: string,
    container?: string,
  ): { stdin: Writable; once: boolean } | undefined
  // A container log's bytes from `start`, each line prefixed with the time it was written (without it, followed logs
  // ignore timestamps).
  timestamped?(path: string, text: string, start: number): string
}

/** Options for labPodStreams. */
export interface PodStreamsOptions {
  kubelet: StreamingKubelet
  store: Store
  /** The kubelet's log directory. */
  logDir: string
  /** The Node binary that runs the port-forward relay (process.execPath). */
  nodeBinary: string
}

const RELAY = fileURLToPath(new URL('./port-forward-relay.ts', import.meta.url))

// Runs argv on a pseudo-terminal of its own (util-linux `script`), as a container runtime does for `exec -t`.
export function onTerminal(argv: readonly string[]): string[] {
  return ['script', '--quiet', '--flush', '--return', '--command', shellQuote(argv), '/dev/null']
}

// Errors from the kubelet that are not Statuses yet become 400s, as the real API server's upgrade failures.
function asStatus(err: unknown, what: string): StatusError {
  if (err instanceof StatusError) return err
  return new StatusError(400, 'BadRequest', `${what}: ${(err as Error).message}`)
}

// The lab's PodStreams: commands and relays are processes in the pod's namespaces, logs are the kubelet's files.
export function labPodStreams(opts: PodStreamsOptions): PodStreams {
  const { kubelet, store } = opts
  return {
    async exec({ namespace, pod, container, command, tty }): Promise<PodProcess> {
      let argv: string[]
      try {
        argv = kubelet.execArgv(namespace, pod, tty ? onTerminal(command) : command, container)
      } catch (err) {
        throw asStatus(err, `unable to exec in pod ${namespace}/${pod}`)
      }
      return startPiped(argv[0]!, argv.slice(1))
    },

    async portForward({ namespace, pod, port }): Promise<PodProcess> {
      const netns = kubelet.podNetns(namespace, pod)
      if (!store.get('pods', namespace, pod)) throw notFound('pods', '', pod)
      if (!netns)
        throw new StatusError(
          400,
          'BadRequest',
          `unable to forward port ${port}: pod ${namespace}/${pod} is not running`,
        )
      return startPiped(opts.nodeBinary, [RELAY, '127.0.0.1', String(port)], { netns })
    },

    followLog(req, signal) {
      return followLog(opts, req, signal)
    },

    attachStdin({ namespace, pod, container }) {
      return kubelet.containerStdin?.(namespace, pod, container)
    },
  }
}

// Whether a pod's container has terminated (its log is then complete).
function terminated(pod: V1Pod | undefined, container: string): boolean {
  return pod?.status?.containerStatuses?.find((c) => c.name === container)?.state?.terminated !== undefined
}

// When the container's current run started (undefined when it is not running).
function runningSince(pod: V1Pod | undefined, container: string): string | undefined {
  const started = pod?.status?.containerStatuses?.find((c) => c.name === container)?.state?.running?.startedAt
  return started === undefined ? undefined : String(started)
}

// The current log (its last tailLines lines), then every byte appended, until the container terminates, the pod
// is deleted or signal aborts.
async function* followLog(
  opts: PodStreamsOptions,
  req: {
    namespace: string
    pod: string
    container: string | undefined
    tailLines?: number
    timestamps?: boolean
  },
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  const { namespace, pod } = req
  // Validates the pod and container, and throws the Status kubectl shows when they are wrong.
  await opts.kubelet.read(namespace, pod, req.container, {})
  const obj = opts.store.get('pods', namespace, pod) as V1Pod | undefined
  if (!obj) throw notFound('pods', '', pod)
  const uid = obj.metadata?.uid ?? ''
  const container = req.container ?? obj.spec?.containers?.[0]?.name ?? ''
  const path = containerLogPath(opts.logDir, namespace, pod, uid, container)
  const stop = new AbortController()
  const abort = () => stop.abort()
  signal.addEventListener('abort', abort)
  // The log ends with its container, as the real one does, or with its pod; a container that restarts (its run
  // ended: the restart policy starts a new one with a new log) ends it too.
  const since = runningSince(obj, container)
  const unwatch = opts.store.watch('pods', { namespace, fieldSelector: `metadata.name=${pod}` }, (e) => {
    if (e.object.metadata.uid !== uid) return
    const now = e.object as V1Pod
    if (e.type === 'DELETED' || terminated(now, container)) stop.abort()
    else if (since !== undefined && runningSince(now, container) !== since) stop.abort()
  })
  if (terminated(obj, container)) stop.abort()
  const file = await open(path, 'r')
  try {
    let offset = 0
    // The open file's own size: a restart renames the log to .previous.log while it is followed.
    const readMore = async (): Promise<Buffer> => {
      const size = (await file.stat()).size
      if (size < offset) offset = 0
      if (size === offset) return Buffer.alloc(0)
      const chunk = Buffer.alloc(size - offset)
      const { bytesRead } = await file.read(chunk, 0, chunk.length, offset)
      offset += bytesRead
      return chunk.subarray(0, bytesRead)
    }
    // With timestamps every complete line is prefixed with the time it was written; a partial one waits for its end.
    const stamp = opts.kubelet.timestamped?.bind(opts.kubelet)
    const stamper = req.timestamps && stamp ? new StreamStamper((t, at) => stamp(path, t, at), 0) : undefined
    const out = (chunk: Buffer) => (stamper ? Buffer.from(stamper.push(chunk)) : chunk)
    const first = await readMore()
    yield Buffer.from(tailLines(out(first).toString('utf8'), req.tailLines))
    try {
      if (!stop.signal.aborted)
        for await (const _ of watch(path, { signal: stop.signal })) {
          const more = out(await readMore())
          if (more.length > 0) yield more
        }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err
    }
    const rest = Buffer.concat([out(await readMore()), Buffer.from(stamper?.end() ?? '')])
    if (rest.length > 0) yield rest
  } finally {
    unwatch()
    signal.removeEventListener('abort', abort)
    await file.close()
  }
}
