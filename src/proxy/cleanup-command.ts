// `svcnet proxy cleanup`: removes every rule and chain the proxy owns from this network namespace.
import { runCommand, type CommandSpec } from '../flags/command.ts'
import { detectBackend } from './iptables/backend.ts'
import { cleanupRules } from './iptables/cleanup.ts'
import { SystemIptables } from './iptables/runner.ts'
import { iptablesBinary } from './ip-family.ts'

/** The cleanup command (upstream `kube-proxy --cleanup`). */
export const CLEANUP_SPEC: CommandSpec = {
  name: 'svcnet proxy cleanup',
  summary:
    "Removes kube-proxy's jumps from the built-in chains and deletes every chain it owns, in iptables and (where it " +
    'works) ip6tables, as upstream cleans both families; safe to repeat.',
  flags: {
    backend: { type: 'string', value: 'auto|legacy|nft', default: 'auto', description: 'iptables backend' },
  },
}

// Runs `proxy cleanup`.
export async function cleanupCommand(argv: readonly string[]): Promise<number> {
  return runCommand(CLEANUP_SPEC, argv, async ({ flags }) => {
    const wanted = flags.backend as string
    const backend = wanted === 'legacy' || wanted === 'nft' ? wanted : (await detectBackend()).backend
    const removed = await cleanupRules(new SystemIptables({ binary: iptablesBinary('IPv4', backend) }))
    process.stderr.write(
      `svcnet-proxy: cleanup (${backend}): removed ${removed.jumps} jump rules and ${removed.chains} chains\n`,
    )
    // IPv6 as upstream's NewDualStack: only where ip6tables works (no IPv6 kernel or binary: nothing to clean).
    try {
      const r6 = await cleanupRules(new SystemIptables({ binary: iptablesBinary('IPv6', backend) }))
      process.stderr.write(
        `svcnet-proxy: cleanup (${backend}, IPv6): removed ${r6.jumps} jump rules and ${r6.chains} chains\n`,
      )
    } catch (err) {
      process.stderr.write(
        `svcnet-proxy: cleanup (${backend}, IPv6): skipped, ip6tables fails here: ${(err as Error).message}\n`,
      )
    }
    return 0
  })
}
