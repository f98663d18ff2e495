// One container of a lab pod: its process, restarts with back-off per restartPolicy, and readiness/liveness checks.
import { randomBytes } from 'node:crypto'
import { rename, writeFile } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import type { V1ContainerPort, V1Probe } from '@kubernetes/client-node'
import { start, type StartedProcess } from '../../../exec/run.ts'
import type { ListenPort } from './image-map.ts'
import { containerStartArgv, podExecArgv } from './pod-exec.ts'
import { containerPidPath } from './pod-logs.ts'
import type { ContainerRecord } from './pod-status.ts'
import { missingListeners, runProbe } from './probes.ts'
import { nextRestartDelay, type BackoffState } from './restart-backoff.ts'
import { rfc3339 } from '../../../kube/time.ts'

/** Restart back-off: kubelet waits 10s, 20s, 40s… up to 5 minutes between restarts of a crashing container. */
export interface BackoffSettings {
  /** @default 10000 */
  initialMs: number
  /** @default 300000 */
  maxMs: number
}

/** Everything a container needs to run. */
export interface ContainerSpec {
  name: string
  image: string
  argv: string[]
  env: Record<string, string>
  /** Variables of the image's own environment, under env, for the container's process only (not exec). */
  imageEnv?: Readonly<Record<string, string>>
  netns: string
  podIP: string
  hostname: string
  logPath: string
  restartPolicy: 'Always' | 'OnFailure' | 'Never'
  /** Ports a built-in workload listens on: ready once all are open (when there is no readiness probe). */
  listenPorts: ListenPort[]
  containerPorts: V1ContainerPort[]
  readinessProbe?: V1Probe
  livenessProbe?: V1Probe
  /** lifecycle.preStop.sleep.seconds: how long the container keeps running after deletion, before SIGTERM. */
  preStopSleepSeconds?: number
  backoff: BackoffSettings
  /** The clock of the restart back-off (ms). @default Date.now */
  now?: () => number
  /** Mounted at /var/run/secrets/kubernetes.io/serviceaccount in the container (token, ca.crt, namespace). */
  serviceAccountDir?: string
  /** The container's `stdin: true`: its process gets a stdin pipe that `kubectl attach -i` writes to. */
  stdin?: boolean
  /** `stdinOnce`: that stdin closes when the first attach session closes its stdin. */
  stdinOnce?: boolean
  /** Called whenever the container's record changes (state, readiness, restarts). */
  onChange: () => void
  /** Records an event about this container. */
  onEvent: (type: 'Normal' | 'Warning', reason: string, message: string) => void
}

const LISTEN_POLL_MS = 200

const nowText = () => rfc3339(new Date())

// Runs one container process at a time; restarts it when it ends, until stop().
export class ContainerRunner {
  readonly spec: ContainerSpec
  readonly record: ContainerRecord
  #proc: StartedProcess | undefined
  #stopping = false
  #timers = new Set<NodeJS.Timeout>()
  #backoff: BackoffState | undefined

  constructor(spec: ContainerSpec) {
    this.spec = spec
    this.record = {
      name: spec.name,
      image: spec.image,
      restartCount: 0,
      ready: false,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
    }
  }

  /** The pid of the running process (for exec), or undefined. */
  get pid(): number | undefined {
    return this.#proc?.pid
  }

  // The argv that runs a command inside this container (its netns, hostname and env).
  execArgv(argv: readonly string[]): string[] {
    const pid = this.#proc?.pid
    if (pid === undefined)
      throw new Error(`container ${this.spec.name} is not running; cannot exec ${argv.join(' ')}`)
    return podExecArgv(this.spec.netns, pid, this.spec.env, argv)
  }

  // The running process's stdin (containers with `stdin: true`), or undefined.
  get stdin(): Writable | undefined {
    return this.#proc?.stdin
  }

  // Starts the process now.
  start(): void {
    if (this.#stopping) return
    const s = this.spec
    const [cmd, ...args] = containerStartArgv(s.hostname, s.argv, s.serviceAccountDir)
    const proc = start(cmd!, args, {
      netns: s.netns,
      env: { ...s.imageEnv, ...s.env },
      cleanEnv: true,
      stdinPipe: s.stdin === true,
      logFile: s.logPath,
    })
    this.#proc = proc
    // The pid beside the log lets other processes (the test harness) exec into the container.
    writeFile(containerPidPath(s.logPath), `${proc.pid}\n`).catch((err: Error) =>
      s.onEvent('Warning', 'Failed', `writing the pid file of container ${s.name}: ${err.message}`),
    )
    const startedAt = nowText()
    this.record.containerID = `containerd://${randomBytes(32).toString('hex')}`
    this.record.state = { running: { startedAt } }
    this.record.started = true
    this.record.ready = false
    s.onEvent('Normal', 'Started', `Started container ${s.name}`)
    s.onChange()
    void proc.exited.then((end) => this.#exited(proc, startedAt, end))
    this.#watchReadiness(proc)
    if (s.livenessProbe) this.#watchLiveness(proc, s.livenessProbe)
  }

  // Stops the container for good: SIGTERM, then SIGKILL after graceMs; resolves when the process is gone.
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true
    for (const t of this.#timers) clearTimeout(t)
    this.#timers.clear()
    const proc = this.#proc
    this.record.ready = false
    if (!proc) return
    // The preStop sleep hook (KEP-3960) runs first, within the grace period: the container keeps serving while
    // its endpoint leaves every node's rules, the usual way to scale down without refused connections.
    const preStopMs = Math.min((this.spec.preStopSleepSeconds ?? 0) * 1000, graceMs)
    if (preStopMs > 0) {
      this.spec.onEvent(
        'Normal',
        'PreStopHook',
        `Sleeping ${preStopMs / 1000}s before stopping the container`,
      )
      await new Promise<void>((resolve) => setTimeout(resolve, preStopMs))
    }
    proc.kill('SIGTERM')
    let timer: NodeJS.Timeout | undefined
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        proc.kill('SIGKILL')
        resolve()
      }, graceMs - preStopMs)
    })
    await Promise.race([proc.exited, killed])
    clearTimeout(timer)
    await proc.exited
  }

  // Runs fn after ms unless the container is stopped first.
  #after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t)
      if (!this.#stopping) fn()
    }, ms)
    this.#timers.add(t)
  }

  // Records the end of a process and schedules the restart the policy asks for.
  #exited(
    proc: StartedProcess,
    startedAt: string,
    end: { exitCode: number | undefined; signal: string | undefined },
  ): void {
    if (this.#proc !== proc) return
    const s = this.spec
    const exitCode = end.exitCode ?? (end.signal === 'SIGKILL' ? 137 : 143)
    const terminated = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt,
      finishedAt: nowText(),
      ...(this.record.containerID ? { containerID: this.record.containerID } : {}),
    }
    this.record.ready = false
    if (this.#stopping) {
      this.record.state = { terminated }
      return
    }
    const restart = s.restartPolicy === 'Always' || (s.restartPolicy === 'OnFailure' && exitCode !== 0)
    if (!restart) {
      this.record.state = { terminated }
      this.#proc = undefined
      s.onChange()
      return
    }
    const next = nextRestartDelay(this.#backoff, (s.now ?? Date.now)(), s.backoff)
    this.#backoff = next.state
    const delay = next.delayMs
    this.record.lastState = { terminated }
    this.record.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${s.name}`,
      },
    }
    if (delay > 0) s.onEvent('Warning', 'BackOff', 'Back-off restarting failed container')
    s.onChange()
    this.#after(delay, () => {
      this.record.restartCount++
      void rename(s.logPath, s.logPath.replace(/\.log$/, '.previous.log'))
        .catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT')
            s.onEvent('Warning', 'Failed', `keeping the previous log: ${err.message}`)
        })
        .then(() => this.start())
    })
  }

  // Marks the container ready once its readiness probe passes (or, without one, once its ports listen).
  #watchReadiness(proc: StartedProcess): void {
    const s = this.spec
    const live = () => this.#proc === proc && !this.#stopping && this.record.state.running !== undefined
    const setReady = (ready: boolean) => {
      if (this.record.ready !== ready && live()) {
        this.record.ready = ready
        s.onChange()
      }
    }
    const probe = s.readinessProbe
    if (!probe) {
      const poll = () => {
        if (!live()) return
        missingListeners(s.netns, s.listenPorts).then(
          (missing) => (missing.length === 0 ? setReady(true) : this.#after(LISTEN_POLL_MS, poll)),
          () => this.#after(LISTEN_POLL_MS, poll),
        )
      }
      poll()
      return
    }
    let successes = 0
    let failures = 0
    const period = Math.max(1, probe.periodSeconds ?? 10) * 1000
    const tick = () => {
      if (!live()) return
      this.#probeOnce(probe).then((r) => {
        if (r.ok) {
          failures = 0
          if (++successes >= (probe.successThreshold ?? 1)) setReady(true)
        } else {
          successes = 0
          if (++failures >= (probe.failureThreshold ?? 3) || !this.record.ready) setReady(false)
          if (live()) s.onEvent('Warning', 'Unhealthy', `Readiness probe failed: ${r.output}`)
        }
        this.#after(period, tick)
      })
    }
    this.#after((probe.initialDelaySeconds ?? 0) * 1000, tick)
  }

  // Runs a probe once against this container; an error running it counts as a failure with its message.
  #probeOnce(probe: V1Probe): Promise<{ ok: boolean; output: string }> {
    const s = this.spec
    return runProbe(probe, {
      netns: s.netns,
      podIP: s.podIP,
      ports: s.containerPorts,
      execArgv: (a) => this.execArgv(a),
    }).catch((err: Error) => ({ ok: false, output: err.message }))
  }

  // Kills the process when its liveness probe fails failureThreshold times in a row (the restart policy then applies).
  #watchLiveness(proc: StartedProcess, probe: V1Probe): void {
    const s = this.spec
    let failures = 0
    const period = Math.max(1, probe.periodSeconds ?? 10) * 1000
    const tick = () => {
      if (this.#proc !== proc || this.#stopping) return
      this.#probeOnce(probe).then((r) => {
        if (this.#proc !== proc || this.#stopping) return
        failures = r.ok ? 0 : failures + 1
        if (!r.ok) s.onEvent('Warning', 'Unhealthy', `Liveness probe failed: ${r.output}`)
        if (failures >= (probe.failureThreshold ?? 3)) {
          s.onEvent('Normal', 'Killing', `Container ${s.name} failed liveness probe, will be restarted`)
          proc.kill('SIGKILL')
          return
        }
        this.#after(period, tick)
      })
    }
    this.#after((probe.initialDelaySeconds ?? 0) * 1000, tick)
  }
}
