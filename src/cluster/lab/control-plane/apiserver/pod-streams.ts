// What serves pods/exec, pods/portforward and followed pods/log: defined here, implemented by the lab kubelet.
import type { Readable, Writable } from 'node:stream'

/** A process the kubelet started for a pod: a command for exec, a relay to a pod port for port-forward. */
export interface PodProcess {
  stdin: Writable
  stdout: Readable
  stderr: Readable
  /** Resolves when the process has ended and its stdout and stderr have been read to their end. */
  exited: Promise<{ exitCode: number | undefined; signal: string | undefined; error?: Error }>
  // Stops the process (the client went away).
  kill(): void
}

/** One pods/exec request. */
export interface ExecRequest {
  namespace: string
  pod: string
  /** The pod's only/first container when undefined. */
  container: string | undefined
  command: string[]
  /** Run the command on a terminal (`kubectl exec -t`): one output stream, echo, line editing. */
  tty?: boolean
}

/** The kubelet's streaming endpoints. Errors a client should see are StatusErrors (404 pod, 400 container). */
export interface PodStreams {
  // Runs a command inside a running container (its network, UTS and mount view, with its environment).
  exec(req: ExecRequest): Promise<PodProcess>
  // Connects to a TCP port on the pod's loopback: stdin goes to the port, stdout is what it sends back.
  portForward(req: { namespace: string; pod: string; port: number }): Promise<PodProcess>
  // Streams a container's log: the current text (last tailLines lines), then what is appended until signal aborts;
  // with timestamps each line is prefixed with the time it was written.
  followLog(
    req: {
      namespace: string
      pod: string
      container: string | undefined
      tailLines?: number
      timestamps?: boolean
    },
    signal: AbortSignal,
  ): AsyncIterable<Buffer>
  // The stdin of a running container started with `stdin: true` (pods/attach writes to it), and its stdinOnce.
  attachStdin?(req: {
    namespace: string
    pod: string
    container: string | undefined
  }): { stdin: Writable; once: boolean } | undefined
}
