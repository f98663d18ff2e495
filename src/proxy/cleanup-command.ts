// `svcnet proxy cleanup`: removes every rule and chain the proxy owns from this network namespace.
import { runCommand, type CommandSpec } from '../flags/command.ts'
import { detectBackend } from './iptables/backend.ts'
import { cleanupRules } from './iptables/cleanup.ts'
import { SystemIptables } from './iptables/runner.ts'

/** The cleanup command (upstream `kube-proxy --cleanup`). */
export const CLEANUP_SPEC: CommandSpec = {
  name: 'svcnet proxy cleanup',
  summary:
    "Removes kube-proxy's jumps from the built-in chains and deletes every chain it owns; safe to repeat.",
  flags: {
    backend: { type: 'string', value: 'auto|legacy|nft', default: 'auto', description: 'iptables backend' },
  },
}

// Runs `proxy cleanup`.
export async function cleanupCommand(argv: readonly string[]): Promise<number> {
  return runCommand(CLEANUP_SPEC, argv, async ({ flags }) => {
    const wanted = flags.backend as string
    const backend = wanted === 'legacy' || wanted === 'nft' ? wanted : (await detectBackend()).backend
    const removed = await cleanupRules(new SystemIptables({ binary: `iptables-${backend}` }))
    process.stderr.write(
      `svcnet-proxy: cleanup (${backend}): removed ${removed.jumps} jump rules and ${removed.chains} chains\n`,
    )
    return 0
  })
}
