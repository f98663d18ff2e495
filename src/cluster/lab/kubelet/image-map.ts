// Maps a container's image (and command/args) to what the lab runs for it: a built-in workload, svcnet itself, or a host command.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { helloAppVersion } from '../../../workloads/hello-app.ts'
import { LEAN_NODE_FLAGS } from '../../../paths.ts'

/** An image reference split into its parts. */
export interface ImageRef {
  /** '' for Docker Hub. */
  registry: string
  /** Without the registry, and without Docker Hub's `library/`: `nginx`, `curlimages/curl`, `google-samples/hello-app`. */
  repository: string
  /** '' when absent. */
  tag: string
}

/** A port the lab expects the container to listen on before it counts as ready (when it has no readiness probe). */
export interface ListenPort {
  port: number
  protocol: 'TCP' | 'UDP'
}

/** What to run for a container. */
export interface ContainerLaunch {
  /** Which kind of program: a built-in workload, svcnet itself, or a command run from the host's binaries. */
  program: 'hello-app' | 'nginx' | 'netexec' | 'pause' | 'svcnet' | 'command'
  argv: string[]
  /** The ports it listens on once up (built-in workloads only). */
  ports: ListenPort[]
}

/** Why a container cannot run: the waiting reason and message kubelet would show. */
export interface LaunchError {
  reason: 'ErrImagePull' | 'CreateContainerError'
  message: string
}

/** Where the lab's own binaries are. */
export interface LaunchContext {
  /** Absolute path of the Node binary. */
  nodeBinary: string
  /** Absolute path of src/cli/main.ts. */
  cliEntry: string
  /** Whether a name is a command on PATH (`command -v`). @default hostCommandExists */
  isCommand?: (name: string) => boolean
}

// Whether `name` runs as a command on the host's PATH (or, with a slash, names an executable file); the lab runs
// tools images' commands from the host's binaries.
export function hostCommandExists(name: string): boolean {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK)
      return true
    } catch {
      return false // not there or not executable: the next PATH entry may have it
    }
  }
  if (name === '') return false
  if (name.includes('/')) return executable(name)
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(delimiter)
    .some((dir) => dir !== '' && executable(join(dir, name)))
}

// curlimages/curl's /entrypoint.sh: `curl` goes first when the first argument is an option (`-…`), is missing,
// or is not a command on PATH; otherwise the arguments run as they are (`-- curl URL`, `-- sh -c …`).
export function curlEntrypoint(args: readonly string[], isCommand: (name: string) => boolean): string[] {
  const first = args[0]
  if (first === undefined || first.startsWith('-') || !isCommand(first)) return ['curl', ...args]
  return [...args]
}

/** The images the lab knows, as listed in the ErrImagePull message. */
export const KNOWN_IMAGES = [
  'gcr.io/google-samples/hello-app:<tag> (any *hello-app*)',
  'nginx (any nginx*)',
  'registry.k8s.io/e2e-test-images/agnhost:<tag> (netexec, pause)',
  'busybox',
  'curlimages/curl',
  'nicolaka/netshoot',
  'alpine',
  'registry.k8s.io/pause',
  'svcnet/svcnet',
]

const TOOLS_IMAGES = new Set(['busybox', 'curlimages/curl', 'nicolaka/netshoot', 'alpine'])

// Splits an image reference: `gcr.io/google-samples/hello-app:1.0` → registry gcr.io, repository google-samples/hello-app, tag 1.0.
export function parseImageRef(image: string): ImageRef {
  const noDigest = image.split('@')[0] ?? image
  const slash = noDigest.lastIndexOf('/')
  const colon = noDigest.lastIndexOf(':')
  const tag = colon > slash ? noDigest.slice(colon + 1) : ''
  const name = colon > slash ? noDigest.slice(0, colon) : noDigest
  const parts = name.split('/')
  let registry = ''
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) registry = parts.shift()!
  if (registry === 'docker.io' || registry === 'index.docker.io') registry = ''
  let repository = parts.join('/')
  if (registry === '' && repository.startsWith('library/')) repository = repository.slice('library/'.length)
  return { registry, repository, tag }
}

// Reads `--name=value` or `--name value` from an argv; undefined when absent.
function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === `--${name}` || a === `-${name}`) return argv[i + 1]
    if (a.startsWith(`--${name}=`) || a.startsWith(`-${name}=`)) return a.slice(a.indexOf('=') + 1)
  }
  return undefined
}

// The pause argv for a `sleep N|infinity`-style command, or undefined when the command does something else.
function sleepAsPause(full: readonly string[], ctx: LaunchContext): string[] | undefined {
  const pause = [ctx.nodeBinary, ...LEAN_NODE_FLAGS, ctx.cliEntry, 'workload', 'pause']
  if (full.length === 0) return pause
  let words = [...full]
  const first = words[0]!.split('/').pop()
  if ((first === 'sh' || first === 'bash' || first === 'ash') && words[1] === '-c' && words.length === 3) {
    words = words[2]!.trim().split(/\s+/)
  }
  const cmd = words[0]!.split('/').pop()
  if (cmd === 'sleep' && words.length === 2) {
    const arg = words[1]!
    if (arg === 'infinity' || arg === 'inf') return pause
    if (/^\d+$/.test(arg)) return [...pause, `--seconds=${arg}`]
  }
  if (cmd === 'tail' && words.length === 3 && words[1] === '-f' && words[2] === '/dev/null') return pause
  return undefined
}

// Decides what to run for a container, from its image and its (already $(VAR)-expanded) command, args and env.
export function resolveLaunch(
  image: string,
  command: readonly string[],
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  ctx: LaunchContext,
): ContainerLaunch | LaunchError {
  const ref = parseImageRef(image)
  const repo = ref.repository
  const last = repo.split('/').pop() ?? repo
  const workload = (name: string, rest: string[] = []) => [
    ctx.nodeBinary,
    ...LEAN_NODE_FLAGS,
    ctx.cliEntry,
    'workload',
    name,
    ...rest,
  ]
  const full = [...command, ...args]
  if (repo === 'svcnet/svcnet') {
    const cmd = command[0] === 'svcnet' ? command.slice(1) : [...command]
    return {
      program: 'svcnet',
      argv: [ctx.nodeBinary, ...LEAN_NODE_FLAGS, ctx.cliEntry, ...cmd, ...args],
      ports: [],
    }
  }
  if (repo.includes('hello-app')) {
    const port = Number(env.PORT ?? '8080')
    return {
      program: 'hello-app',
      argv: workload('hello-app', [`--version=${helloAppVersion(ref.tag)}`]),
      ports: Number.isInteger(port) ? [{ port, protocol: 'TCP' }] : [],
    }
  }
  if (last.startsWith('nginx')) {
    return { program: 'nginx', argv: workload('nginx'), ports: [{ port: 80, protocol: 'TCP' }] }
  }
  if (repo.includes('agnhost')) {
    const words = full[0] !== undefined && full[0].split('/').pop() === 'agnhost' ? full.slice(1) : full
    if (words[0] === 'netexec') {
      const rest = words.slice(1)
      const http = Number(flagValue(rest, 'http-port') ?? '8080')
      const udp = Number(flagValue(rest, 'udp-port') ?? '8081')
      const ports: ListenPort[] = [{ port: http, protocol: 'TCP' }]
      if (udp !== -1) ports.push({ port: udp, protocol: 'UDP' })
      return { program: 'netexec', argv: workload('netexec', rest), ports }
    }
    if (words.length === 0 || words[0] === 'pause')
      return { program: 'pause', argv: workload('pause'), ports: [] }
    return {
      reason: 'CreateContainerError',
      message: `agnhost subcommand "${words[0]}" is not built into the svcnet lab; built in: netexec, pause`,
    }
  }
  if (last === 'pause' || last.endsWith('-pause'))
    return { program: 'pause', argv: workload('pause'), ports: [] }
  if (TOOLS_IMAGES.has(repo)) {
    const asPause = sleepAsPause(full, ctx)
    if (asPause) return { program: 'pause', argv: asPause, ports: [] }
    // curlimages/curl's entrypoint (its /entrypoint.sh) runs when the pod gives no command.
    const argv =
      repo === 'curlimages/curl' && command.length === 0
        ? curlEntrypoint(args, ctx.isCommand ?? hostCommandExists)
        : full
    return { program: 'command', argv, ports: [] }
  }
  return {
    reason: 'ErrImagePull',
    message: `Failed to pull image "${image}": the svcnet lab has no such image; known images: ${KNOWN_IMAGES.join(', ')}`,
  }
}
