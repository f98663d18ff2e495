// The environment of the Node processes a lab starts (daemon, forwarder, svcnet pods, built-in workloads).
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * NODE_COMPILE_CACHE from the first line: the CLI's enableCompileCache() comes only after src/cli/main.ts itself
 * was loaded, so Node would load its TypeScript stripper (≈ 17 MB RSS, 12 MB PSS, 40 ms CPU) for that one file.
 * The directory is the one enableCompileCache() picks, shared by every lab process (pods see the host's /tmp).
 */
export const LEAN_NODE_ENV: Readonly<Record<string, string>> = {
  NODE_COMPILE_CACHE: join(tmpdir(), 'node-compile-cache'),
}
