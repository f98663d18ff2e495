// Which iptables backend to use, decided as upstream's iptables-wrapper does: the kubelet's hint chains first (nft,
// then legacy), else whichever backend holds more rules, nft on a tie.
import { run } from '../../exec/run.ts'

/** The two iptables 1.8 backends. */
export type IptablesBackend = 'legacy' | 'nft'

/** Chains kubelet creates in the mangle table that tell which backend the host uses. */
export const HINT_CHAINS = ['KUBE-IPTABLES-HINT', 'KUBE-KUBELET-CANARY'] as const

/** What the detection saw: save outputs of each backend (IPv4 and IPv6 concatenated). */
export interface BackendEvidence {
  /** `iptables-nft-save -t mangle` (+ ip6). */
  nftMangle: string
  /** `iptables-legacy-save` (+ ip6): all tables, since `-t mangle` would make the kernel create the table. */
  legacyAll: string
  /** `iptables-nft-save` (+ ip6). */
  nftAll: string
}

// True when a dump declares one of kubelet's hint chains.
function hasHint(dump: string): boolean {
  return dump.split('\n').some((l) => HINT_CHAINS.some((c) => l.startsWith(`:${c} `)))
}

// Number of rule lines in a dump.
function ruleLines(dump: string): number {
  return dump.split('\n').filter((l) => l.startsWith('-')).length
}

// Decides the backend from the evidence, with the reason (for the log).
export function chooseBackend(e: BackendEvidence): { backend: IptablesBackend; reason: string } {
  if (hasHint(e.nftMangle)) return { backend: 'nft', reason: 'kubelet hint chain found with iptables-nft' }
  if (hasHint(e.legacyAll))
    return { backend: 'legacy', reason: 'kubelet hint chain found with iptables-legacy' }
  const legacy = ruleLines(e.legacyAll)
  const nft = ruleLines(e.nftAll)
  return legacy > nft
    ? { backend: 'legacy', reason: `${legacy} legacy rules > ${nft} nft rules` }
    : { backend: 'nft', reason: `${nft} nft rules >= ${legacy} legacy rules` }
}

// Output of a save command, or "" when the binary is missing or fails (as the wrapper's `|| true`).
async function saveOutput(binary: string, args: string[], netns: string | undefined): Promise<string> {
  try {
    const r = await run(binary, args, { netns, allowFailure: true, timeoutMs: 5000 })
    return r.exitCode === 0 ? r.stdout : ''
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || /ENOENT|not found/.test((err as Error).message))
      return ''
    throw err
  }
}

// Looks at this namespace's rules with both backends and decides.
export async function detectBackend(netns?: string): Promise<{ backend: IptablesBackend; reason: string }> {
  // The IPv4 and IPv6 saves of one backend, run side by side.
  const both = async (kind: IptablesBackend, args: string[]) =>
    (
      await Promise.all([
        saveOutput(`iptables-${kind}-save`, args, netns),
        saveOutput(`ip6tables-${kind}-save`, args, netns),
      ])
    ).join('')
  const nftMangle = await both('nft', ['-t', 'mangle'])
  if (hasHint(nftMangle)) return chooseBackend({ nftMangle, legacyAll: '', nftAll: '' })
  const [legacyAll, nftAll] = await Promise.all([both('legacy', []), both('nft', [])])
  return chooseBackend({ nftMangle, legacyAll, nftAll })
}
