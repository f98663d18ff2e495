// Where pod containers' logs live (`<logDir>/<ns>_<pod>_<uid>/<container>.log`) and reading them as `kubectl logs` does.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Serves pods/log: the API server reads container logs through this (defined by the API server). */
export type { PodLogSource } from '../control-plane/apiserver/server.ts'

// The directory holding one pod's container logs.
export function podLogDir(logDir: string, namespace: string, pod: string, uid: string): string {
  return join(logDir, `${namespace}_${pod}_${uid}`)
}

// The log file of one container of a pod.
export function containerLogPath(
  logDir: string,
  namespace: string,
  pod: string,
  uid: string,
  container: string,
): string {
  return join(podLogDir(logDir, namespace, pod, uid), `${container}.log`)
}

// The file holding a container's current pid, beside its log.
export function containerPidPath(logPath: string): string {
  return logPath.replace(/\.log$/, '.pid')
}

// The last n lines of a text (all of it when n is undefined).
export function tailLines(text: string, n: number | undefined): string {
  if (n === undefined) return text
  if (n <= 0) return ''
  const lines = text.split('\n')
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined
  const kept = lines.slice(-n).join('\n')
  return trailing === undefined ? kept : `${kept}\n`
}

// Reads a log file; an absent file (a container that never started) reads as undefined.
export async function readLogFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`reading container log ${path}: ${(err as Error).message}`, { cause: err })
  }
}
