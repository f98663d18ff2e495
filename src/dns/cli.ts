// `svcnet dns`: `dns query` answers from manifests offline; `dns serve` runs the cluster DNS server.
import { runCommand } from '../flags/command.ts'
import { QUERY_COMMAND, runQuery } from './query-command.ts'

const USAGE = `usage: svcnet dns query -f FILE [-f FILE…] [flags] NAME [TYPE]   answer from manifests, offline
       svcnet dns serve [flags]                                   run the DNS server
(svcnet dns <query|serve> --help for the flags)
`

// Entry point used by src/cli/main.ts; returns the exit code.
export async function dnsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === 'query')
    return runCommand(QUERY_COMMAND, rest, (p) => runQuery(p, (s) => void process.stdout.write(s)))
  if (sub === 'serve') {
    const { SERVE_COMMAND, runServe } = await import('./serve-command.ts')
    return runCommand(SERVE_COMMAND, rest, runServe)
  }
  if (sub === '-h' || sub === '--help' || sub === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  process.stderr.write(`${sub ? `svcnet dns: unknown subcommand ${JSON.stringify(sub)}\n\n` : ''}${USAGE}`)
  return 2
}
