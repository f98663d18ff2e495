// Command-line flags of `svcnet proxy`, mirroring upstream kube-proxy's (`--flag=value` and `--flag value`).
import { hostname } from 'node:os'
import { parseCidr4 } from '../kube/ip.ts'

/** Parsed and validated proxy configuration. */
export interface ProxyConfig {
  /** --hostname-override. @default os.hostname() */
  hostnameOverride: string
  /** --kubeconfig. */
  kubeconfig: string | undefined
  /** --master: API server URL, overrides the kubeconfig's server (plain http allowed). */
  master: string | undefined
  /** --cluster-cidr: local traffic detector. */
  clusterCIDR: string | undefined
  /** --masquerade-all. @default false */
  masqueradeAll: boolean
  /** --nodeport-addresses: CIDRs whose node IPs accept NodePorts; empty = all. */
  nodePortAddresses: string[]
  /** --healthz-bind-address. @default "0.0.0.0:10256" */
  healthzBindAddress: string
  /** --metrics-bind-address. @default "127.0.0.1:10249" */
  metricsBindAddress: string
  /** --sync-period / --iptables-sync-period. @default 30s */
  syncPeriodMs: number
  /** --min-sync-period / --iptables-min-sync-period. @default 1s */
  minSyncPeriodMs: number
  /** --iptables-localhost-nodeports. @default true */
  localhostNodePorts: boolean
  /** --proxy-mode: only "iptables". */
  proxyMode: 'iptables'
  /** -v / --v: log verbosity. @default 0 */
  verbosity: number
}

/** Defaults of every flag. */
export const DEFAULT_CONFIG: ProxyConfig = {
  hostnameOverride: '',
  kubeconfig: undefined,
  master: undefined,
  clusterCIDR: undefined,
  masqueradeAll: false,
  nodePortAddresses: [],
  healthzBindAddress: '0.0.0.0:10256',
  metricsBindAddress: '127.0.0.1:10249',
  syncPeriodMs: 30_000,
  minSyncPeriodMs: 1_000,
  localhostNodePorts: true,
  proxyMode: 'iptables',
  verbosity: 0,
}

/** A usage error (exit code 2); lists every problem found. */
export class FlagError extends Error {
  constructor(problems: string[]) {
    super(problems.join('\n'))
    this.name = 'FlagError'
  }
}

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

// Parses a Go duration ("30s", "1m30s", "500ms", "1h0m0s") into milliseconds; undefined when invalid.
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined
  let ms = 0
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNITS[m[2]!]!
  return ms
}

type Kind = 'string' | 'bool' | 'duration' | 'int'
const FLAGS: Record<string, { key: keyof ProxyConfig; kind: Kind }> = {
  'hostname-override': { key: 'hostnameOverride', kind: 'string' },
  kubeconfig: { key: 'kubeconfig', kind: 'string' },
  master: { key: 'master', kind: 'string' },
  'cluster-cidr': { key: 'clusterCIDR', kind: 'string' },
  'masquerade-all': { key: 'masqueradeAll', kind: 'bool' },
  'nodeport-addresses': { key: 'nodePortAddresses', kind: 'string' },
  'healthz-bind-address': { key: 'healthzBindAddress', kind: 'string' },
  'metrics-bind-address': { key: 'metricsBindAddress', kind: 'string' },
  'sync-period': { key: 'syncPeriodMs', kind: 'duration' },
  'iptables-sync-period': { key: 'syncPeriodMs', kind: 'duration' },
  'min-sync-period': { key: 'minSyncPeriodMs', kind: 'duration' },
  'iptables-min-sync-period': { key: 'minSyncPeriodMs', kind: 'duration' },
  'iptables-localhost-nodeports': { key: 'localhostNodePorts', kind: 'bool' },
  'proxy-mode': { key: 'proxyMode', kind: 'string' },
  v: { key: 'verbosity', kind: 'int' },
}

// Names of the accepted flags, for usage text.
export function flagNames(): string[] {
  return Object.keys(FLAGS).map((f) => (f === 'v' ? '-v' : `--${f}`))
}

// Parses argv into a validated config; throws FlagError naming every bad or unknown flag.
export function parseProxyFlags(argv: readonly string[], only?: ReadonlySet<string>): ProxyConfig {
  const cfg: Record<string, unknown> = { ...DEFAULT_CONFIG, hostnameOverride: hostname() }
  const problems: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const m = /^--?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg)
    if (!m) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}`)
      continue
    }
    const name = m[1]!
    const spec = FLAGS[name]
    if (!spec || (only && !only.has(name))) {
      problems.push(`unknown flag: ${arg.split('=')[0]}`)
      continue
    }
    let value = m[2]
    if (value === undefined && spec.kind === 'bool' && !/^(true|false)$/.test(argv[i + 1] ?? ''))
      value = 'true'
    if (value === undefined) {
      if (i + 1 >= argv.length) {
        problems.push(`flag needs an argument: ${arg}`)
        continue
      }
      value = argv[++i]!
    }
    const bad = (want: string) =>
      problems.push(`invalid value ${JSON.stringify(value)} for --${name}: ${want}`)
    if (spec.kind === 'bool') {
      if (value === 'true' || value === 'false') cfg[spec.key] = value === 'true'
      else bad('want true or false')
    } else if (spec.kind === 'duration') {
      const ms = parseDuration(value)
      if (ms === undefined) bad('want a duration such as 30s, 1m or 500ms')
      else cfg[spec.key] = ms
    } else if (spec.kind === 'int') {
      if (/^\d+$/.test(value)) cfg[spec.key] = Number(value)
      else bad('want a non-negative integer')
    } else if (spec.key === 'nodePortAddresses') {
      cfg[spec.key] = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    } else cfg[spec.key] = value
  }
  const c = cfg as unknown as ProxyConfig
  if ((c.proxyMode as string) !== 'iptables' && (c.proxyMode as string) !== '')
    problems.push(`unsupported --proxy-mode ${JSON.stringify(c.proxyMode)}: only "iptables" is implemented`)
  c.proxyMode = 'iptables'
  if (c.clusterCIDR !== undefined && !parseCidr4(c.clusterCIDR))
    problems.push(`invalid --cluster-cidr ${JSON.stringify(c.clusterCIDR)}: want an IPv4 CIDR`)
  for (const cidr of c.nodePortAddresses)
    if (!parseCidr4(cidr))
      problems.push(`invalid --nodeport-addresses entry ${JSON.stringify(cidr)}: want an IPv4 CIDR`)
  if (c.master !== undefined && !/^https?:\/\/[^/]+/.test(c.master))
    problems.push(`invalid --master ${JSON.stringify(c.master)}: want http(s)://host:port`)
  if (c.syncPeriodMs <= 0) problems.push('--sync-period must be greater than 0')
  if (c.minSyncPeriodMs > c.syncPeriodMs)
    problems.push(
      `--min-sync-period (${c.minSyncPeriodMs}ms) must not exceed --sync-period (${c.syncPeriodMs}ms)`,
    )
  if (!c.hostnameOverride) problems.push('--hostname-override is empty')
  if (problems.length) throw new FlagError(problems)
  return c
}
