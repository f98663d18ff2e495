// The `svcnet` command: dispatches to a subcommand module, loaded only when used.
import { enableCompileCache } from 'node:module'

// Every svcnet process (lab daemon, kube-proxies, DNS, workloads) loads the same modules: V8's on-disk code
// cache (in the OS temp dir) makes the second and later loads several times cheaper.
enableCompileCache()

/** A subcommand: takes the remaining argv, returns the process exit code. */
export type Command = (argv: string[]) => Promise<number>

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  dns: {
    summary: "svcnet's cluster DNS; `dns query` answers from manifests offline",
    load: async () => (await import('../dns/cli.ts')).dnsCommand,
  },
  kind: {
    summary: "kind plan|up|down: a kind cluster (Docker) running svcnet's kube-proxy and DNS",
    load: async () => (await import('../cluster/kind/cli.ts')).kindCommand,
  },
  lab: {
    summary: 'lab up|down|status: a cluster made of network namespaces',
    load: async () => (await import('./lab-command.ts')).labCommand,
  },
  proxy: {
    summary: "svcnet's kube-proxy (iptables mode); `proxy render` prints rules for manifests",
    load: async () => (await import('../proxy/cli.ts')).proxyCommand,
  },
  report: {
    summary: "the last run's HTML report: its path; --serve serves it on 127.0.0.1, --open opens it",
    load: async () => (await import('./report-command.ts')).reportCommand,
  },
  steps: {
    summary: 'list the Gherkin steps with examples; `steps --write` regenerates docs/steps.md',
    load: async () => (await import('../../support/steps-command.ts')).stepsCommand,
  },
  test: {
    summary:
      'run the feature suite on one cluster (--provider, --parallel N, --keep-cluster…) and build the HTML report',
    load: async () => (await import('./test-command.ts')).testCommand,
  },
  workload: {
    summary: 'run a built-in workload (hello-app, nginx, netexec, pause) as a lab pod does',
    load: async () => (await import('../workloads/cli.ts')).workloadCommand,
  },
}

// Prints the usage text.
function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  return `usage: svcnet <command> [args]\n\ncommands:\n${lines.join('\n')}\n`
}

// Runs the CLI with the given arguments and returns the exit code.
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage())
    return name ? 0 : 2
  }
  const entry = COMMANDS[name]
  if (!entry) {
    process.stderr.write(`svcnet: unknown command "${name}"\n\n${usage()}`)
    return 2
  }
  const command = await entry.load()
  return command(rest)
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`svcnet: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = 1
    },
  )
}
