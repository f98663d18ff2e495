// `svcnet proxy`: the kube-proxy daemon (iptables mode) and its offline subcommands; each part loads only when used
// (render, trace and cleanup never load the Kubernetes client).
import { FlagError, flagNames, parseProxyFlags } from './flags.ts'

const USAGE = `usage: svcnet proxy [flags]            run the proxy (iptables mode)
       svcnet proxy render -f FILE…       print the iptables-restore input for manifests (--help for flags)
       svcnet proxy trace --src IP --dst IP:PORT (-f FILE… | --from-node)   follow a packet through the rules
       svcnet proxy cleanup               remove every rule and chain the proxy owns
flags: ${flagNames().join(' ')}
`

// Entry point used by src/cli/main.ts; returns the exit code (2 for usage errors).
export async function proxyCommand(argv: string[]): Promise<number> {
  if (argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  if (argv[0] === 'render') return (await import('./render-command.ts')).renderCommand(argv.slice(1))
  if (argv[0] === 'trace') return (await import('./trace-command.ts')).traceCommand(argv.slice(1))
  if (argv[0] === 'cleanup') return (await import('./cleanup-command.ts')).cleanupCommand(argv.slice(1))
  try {
    const config = parseProxyFlags(argv)
    return await (await import('./daemon.ts')).runDaemon(config)
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`svcnet proxy: ${err.message}\n${USAGE}`)
      return 2
    }
    throw err
  }
}
