// The one module that starts processes. Everything else calls run() or start().
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { PassThrough, type Readable, type Writable } from 'node:stream'
import { execa } from 'execa'
import { RunError } from './run-error.ts'

/** Options for one command. */
export interface RunOptions {
  /** Text written to the command's stdin. */
  stdin?: string
  /** Extra environment variables (merged over the current environment unless `cleanEnv`). */
  env?: Record<string, string>
  /** Start from an empty environment plus `env` and PATH. @default false */
  cleanEnv?: boolean
  /** Run inside this network namespace (`ip netns exec NAME …`). */
  netns?: string
  /** Kill the command after this long. @default 30000 */
  timeoutMs?: number
  /** Return a non-zero exit instead of throwing. @default false */
  allowFailure?: boolean
  /** Working directory. */
  cwd?: string
}

/** How a command ended. */
export interface RunResult {
  argv: string[]
  stdout: string
  stderr: string
  exitCode: number
  durationMs: number
}

const DEFAULT_TIMEOUT_MS = 30_000

// Wraps argv in `ip netns exec` when a namespace is given.
export function inNetns(netns: string | undefined, argv: readonly string[]): string[] {
  return netns ? ['ip', 'netns', 'exec', netns, ...argv] : [...argv]
}

// Runs a command to completion; throws RunError on non-zero exit, signal or timeout (unless allowFailure).
export async function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const argv = inNetns(opts.netns, [cmd, ...args])
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`run: option timeoutMs must be a positive number, got ${String(opts.timeoutMs)}`)
  }
  const started = Date.now()
  const r = await execa(argv[0]!, argv.slice(1), {
    input: opts.stdin ?? '',
    env: opts.cleanEnv
      ? { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...opts.env }
      : opts.env,
    extendEnv: !opts.cleanEnv,
    timeout: timeoutMs,
    reject: false,
    cwd: opts.cwd,
    stripFinalNewline: false,
  })
  const stdout = String(r.stdout ?? '')
  const stderr = String(r.stderr ?? '')
  const failedToStart = r.exitCode === undefined && !r.signal && !r.timedOut
  if (r.timedOut || r.signal || failedToStart || (r.exitCode !== 0 && !opts.allowFailure)) {
    if (opts.allowFailure && !r.timedOut && !failedToStart && r.exitCode !== undefined) {
      return { argv, stdout, stderr, exitCode: r.exitCode, durationMs: Date.now() - started }
    }
    throw new RunError({
      argv,
      exitCode: r.exitCode,
      signal: r.signal,
      stdout,
      stderr,
      timedOut: r.timedOut,
      timeoutMs,
      cause: r.cause,
    })
  }
  return { argv, stdout, stderr, exitCode: r.exitCode ?? 0, durationMs: Date.now() - started }
}

/** Options for a long-running process. */
export interface StartOptions {
  env?: Record<string, string>
  /** Start from an empty environment plus `env` and PATH. @default false */
  cleanEnv?: boolean
  netns?: string
  cwd?: string
  /** File that receives stdout and stderr (appended). */
  logFile?: string
  /** Detach from this process so it outlives it (daemons). @default false */
  detached?: boolean
  /** Give the process a stdin pipe (a container started with `stdin: true`), else no stdin. @default false */
  stdinPipe?: boolean
}

/** A started long-running process. */
export interface StartedProcess {
  readonly argv: readonly string[]
  readonly pid: number
  /** Its stdin, when started with stdinPipe (write errors after it exits are ignored: EPIPE). */
  readonly stdin?: Writable
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>
  // Sends a signal to the process group.
  kill(signal?: NodeJS.Signals): void
}

// Starts a long-running process (a pod's container, a daemon) whose output goes to a log file.
export function start(cmd: string, args: readonly string[], opts: StartOptions = {}): StartedProcess {
  const argv = inNetns(opts.netns, [cmd, ...args])
  const fd = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore'
  const env = opts.cleanEnv
    ? { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...opts.env }
    : { ...process.env, ...opts.env }
  let child
  try {
    // A process group of its own, so kill() reaches every process the command starts.
    const stdin = opts.stdinPipe ? 'pipe' : 'ignore'
    child = spawn(argv[0]!, argv.slice(1), { env, cwd: opts.cwd, stdio: [stdin, fd, fd], detached: true })
  } finally {
    if (typeof fd === 'number') closeSync(fd)
  }
  const pid = child.pid
  if (pid === undefined) {
    throw new RunError({ argv, stdout: '', stderr: '', timedOut: false, cause: 'spawn failed: no pid' })
  }
  if (opts.detached) child.unref()
  const exited = new Promise<{ exitCode: number | undefined; signal: string | undefined }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }))
    child.on('error', () => resolve({ exitCode: undefined, signal: undefined }))
  })
  // A process that exits (or closes its stdin) while someone still writes: EPIPE is expected, not a daemon crash.
  child.stdin?.on('error', () => {})
  return {
    argv,
    pid,
    ...(child.stdin ? { stdin: child.stdin } : {}),
    exited,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      try {
        process.kill(-pid, signal)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
      }
    },
  }
}

// Runs a command with the terminal's stdio (a child tool whose progress the user watches); returns its exit code.
export async function runAttached(
  cmd: string,
  args: readonly string[],
  opts: { env?: Record<string, string> } = {},
): Promise<number> {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...opts.env } })
  return new Promise<number>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new RunError({ argv: [cmd, ...args], stdout: '', stderr: '', timedOut: false, cause: err })),
    )
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}

/** A started process whose stdin, stdout and stderr the caller streams. */
export interface PipedProcess {
  readonly argv: readonly string[]
  readonly pid: number
  readonly stdin: Writable
  readonly stdout: Readable
  readonly stderr: Readable
  /** Resolves once the process has ended and the caller has read its stdout and stderr to their end. */
  readonly exited: Promise<{ exitCode: number | undefined; signal: string | undefined; error?: Error }>
  // Sends a signal to the process group.
  kill(signal?: NodeJS.Signals): void
}

// Starts a process with piped stdio (`kubectl exec` into a pod, a port-forward relay); the caller owns the streams.
export function startPiped(
  cmd: string,
  args: readonly string[],
  opts: Pick<StartOptions, 'env' | 'cleanEnv' | 'netns'> = {},
): PipedProcess {
  const argv = inNetns(opts.netns, [cmd, ...args])
  const env = opts.cleanEnv
    ? { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...opts.env }
    : { ...process.env, ...opts.env }
  const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  // Output is taken at once into buffers the caller reads when it is ready: Node discards the output of a
  // child that exits while nobody listens to its stdout or stderr.
  const stdout = child.stdout.pipe(new PassThrough())
  const stderr = child.stderr.pipe(new PassThrough())
  const readToEnd = (s: Readable) =>
    new Promise<void>((resolve) => s.once('end', resolve).once('close', resolve))
  let spawnError: Error | undefined
  const closed = new Promise<{ exitCode: number | undefined; signal: string | undefined; error?: Error }>(
    (resolve) => {
      child.on('close', (code, signal) =>
        resolve({
          exitCode: code ?? undefined,
          signal: signal ?? undefined,
          ...(spawnError ? { error: spawnError } : {}),
        }),
      )
      child.on('error', (err) => {
        spawnError = new RunError({ argv, stdout: '', stderr: '', timedOut: false, cause: err })
      })
    },
  )
  const exited = Promise.all([closed, readToEnd(stdout), readToEnd(stderr)]).then(([result]) => result)
  // A child that exits before reading all its stdin is normal (EPIPE); other stdin errors are reported on exit.
  child.stdin.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') spawnError ??= err
  })
  return {
    argv,
    pid: child.pid ?? -1,
    stdin: child.stdin,
    stdout,
    stderr,
    exited,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, signal)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
      }
    },
  }
}
