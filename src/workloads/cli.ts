// `svcnet workload <name> [flags]`: runs a built-in workload in the foreground until SIGTERM, as a lab pod's container.
import {
  runCommand,
  UsageError,
  type CommandSpec,
  type FlagSpec,
  type ParsedCommand,
} from '../flags/command.ts'
import { startHelloApp } from './hello-app.ts'
import { startNetexec } from './netexec.ts'
import { startNginx } from './nginx.ts'
import { startPause } from './pause.ts'
import type { WorkloadServer } from './workload-server.ts'

/** The names of the built-in workloads. */
export const WORKLOAD_NAMES = ['hello-app', 'nginx', 'netexec', 'pause'] as const

const HOST: FlagSpec = { type: 'string', value: 'ADDR', description: 'address to listen on (default: all)' }

/** Each workload's command line, as `svcnet workload <name> --help` prints it. */
export const WORKLOAD_COMMANDS: Record<(typeof WORKLOAD_NAMES)[number], CommandSpec> = {
  'hello-app': {
    name: 'svcnet workload hello-app',
    summary: 'The Kubernetes tutorials\' hello-app: answers "Hello, world!", its version and hostname.',
    flags: {
      port: { type: 'number', description: 'HTTP port (default $PORT, else 8080)' },
      version: { type: 'string', description: 'the version it reports (from the image tag)' },
      host: HOST,
    },
  },
  nginx: {
    name: 'svcnet workload nginx',
    summary: "nginx's welcome page and access log, as the nginx image serves them.",
    flags: { port: { type: 'number', description: 'HTTP port', default: 80 }, host: HOST },
  },
  netexec: {
    name: 'svcnet workload netexec',
    summary: "agnhost netexec, upstream's e2e server: /hostname, /clientip, /echo, /dial, and UDP.",
    flags: {
      'http-port': { type: 'number', description: 'HTTP port', default: 8080 },
      'udp-port': { type: 'number', description: 'UDP port (-1 disables)', default: 8081 },
      host: HOST,
    },
  },
  pause: {
    name: 'svcnet workload pause',
    summary: 'Does nothing until stopped (or for --seconds).',
    flags: {
      seconds: { type: 'number', description: 'end by itself after this many seconds (default: never)' },
    },
  },
}

const isWorkload = (name: string): name is (typeof WORKLOAD_NAMES)[number] =>
  (WORKLOAD_NAMES as readonly string[]).includes(name)

// A whole-number flag value; throws a UsageError naming the flag when it is fractional.
function whole(name: string, value: unknown, fallback: number): number {
  const n = value === undefined ? fallback : Number(value)
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(value)}`)
  return n
}

// Starts the named workload from its parsed flags; resolves once it listens.
export async function startWorkload(
  name: (typeof WORKLOAD_NAMES)[number],
  flags: ParsedCommand['flags'],
): Promise<{ server: WorkloadServer; done?: Promise<void> }> {
  const host = flags.host as string | undefined
  switch (name) {
    case 'hello-app': {
      const port = whole('port', flags.port ?? process.env.PORT, 8080)
      return { server: await startHelloApp({ port, host, version: flags.version as string | undefined }) }
    }
    case 'nginx':
      return { server: await startNginx({ port: whole('port', flags.port, 80), host }) }
    case 'netexec':
      return {
        server: await startNetexec({
          port: whole('http-port', flags['http-port'], 8080),
          udpPort: whole('udp-port', flags['udp-port'], 8081),
          host,
        }),
      }
    case 'pause': {
      const seconds = flags.seconds === undefined ? undefined : whole('seconds', flags.seconds, 0)
      const p = startPause(seconds)
      return { server: { port: undefined, close: p.close }, done: p.done }
    }
  }
}

// The `svcnet workload` usage: one line per workload.
function usage(): string {
  const rows = WORKLOAD_NAMES.map((n) => `  ${n.padEnd(10)} ${WORKLOAD_COMMANDS[n].summary}`)
  return `usage: svcnet workload <name> [flags]   (svcnet workload <name> --help for its flags)\n\nworkloads:\n${rows.join('\n')}\n`
}

// Runs a workload until SIGTERM or SIGINT (or until a timed pause ends), then exits 0.
export async function workloadCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '-h' || name === '--help') {
    process.stdout.write(usage())
    return name ? 0 : 2
  }
  if (!isWorkload(name)) {
    process.stderr.write(`svcnet workload: unknown workload ${JSON.stringify(name)}\n\n${usage()}`)
    return 2
  }
  return runCommand(WORKLOAD_COMMANDS[name], rest, ({ flags }) => runWorkload(name, flags))
}

// Runs one workload until SIGTERM or SIGINT (or until a timed pause ends); returns 0.
async function runWorkload(
  name: (typeof WORKLOAD_NAMES)[number],
  flags: ParsedCommand['flags'],
): Promise<number> {
  // Catch the signals first: a pod may be deleted while its container is still starting.
  let onSignal: () => void = () => {}
  const signalled = new Promise<void>((resolve) => {
    onSignal = resolve
    process.once('SIGTERM', resolve)
    process.once('SIGINT', resolve)
  })
  const { server, done } = await startWorkload(name, flags)
  // Shows in ps and /proc/<pid>/cmdline which workload this is, and that it is up.
  process.title = `svcnet-workload-${name}`
  await Promise.race(done ? [signalled, done] : [signalled])
  process.off('SIGTERM', onSignal)
  process.off('SIGINT', onSignal)
  await server.close()
  return 0
}
