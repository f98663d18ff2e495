// `svcnet proxy`: the kube-proxy daemon (iptables mode) and its offline subcommands; each part loads only when used
// (render, trace and cleanup never load the Kubernetes client).
import { helpText } from '../flags/command.ts'
import { FlagError, PROXY_COMMAND, parseProxyFlags } from './flags.ts'

// Entry point used by src/cli/main.ts; returns the exit code (2 for usage errors).
export async function proxyCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'help') {
    process.stdout.write(helpText(PROXY_COMMAND))
    return 0
  }
  if (argv[0] === 'render') return (await import('./render-command.ts')).renderCommand(argv.slice(1))
  if (argv[0] === 'trace') return (await import('./trace-command.ts')).traceCommand(argv.slice(1))
  if (argv[0] === 'cleanup') return (await import('./cleanup-command.ts')).cleanupCommand(argv.slice(1))
  try {
    const { help, ...config } = parseProxyFlags(argv)
    if (help) {
      process.stdout.write(helpText(PROXY_COMMAND))
      return 0
    }
    return await (await import('./daemon.ts')).runDaemon(config)
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`svcnet proxy: ${err.message}\n\n${helpText(PROXY_COMMAND)}`)
      return 2
    }
    throw err
  }
}
