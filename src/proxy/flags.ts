// Command-line flags of `svcnet proxy`, mirroring upstream kube-proxy's (`-flag`/`--flag`, `=value` or ` value`),
// read by the one flag parser (src/flags) and checked here.
import { hostname } from 'node:os'
import { canonicalAnyIP, familyOf, parseFamilyCidr } from './ip-family.ts'
import { collectCommand, type CommandSpec, type FlagSpec } from '../flags/command.ts'

/** Parsed and validated proxy configuration. */
export interface ProxyConfig {
  /** --hostname-override. @default os.hostname() */
  hostnameOverride: string
  /** --kubeconfig. */
  kubeconfig: string | undefined
  /** --master: API server URL, overrides the kubeconfig's server (plain http allowed). */
  master: string | undefined
  /** --cluster-cidr: local traffic detector, `CIDR[,CIDR]` (one per family for dual stack). */
  clusterCIDR: string | undefined
  /** --node-ip-override: the node's primary IP(s); the first one's family is the primary family. */
  nodeIPOverride: string[]
  /** --masquerade-all. @default false */
  masqueradeAll: boolean
  /** --nodeport-addresses: CIDRs (either family, or "primary") whose node IPs accept NodePorts; empty = all. */
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
  nodeIPOverride: [],
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
type ProxyFlag = FlagSpec & { key: keyof ProxyConfig; kind: Kind }

// One upstream flag: the config field it sets, how its value is read, and its --help line.
const flag = (key: keyof ProxyConfig, kind: Kind, description: string, value?: string): ProxyFlag => ({
  key,
  kind,
  type: kind === 'bool' ? 'boolean' : 'string',
  description,
  ...(value ? { value } : {}),
  ...(DEFAULT_CONFIG[key] !== undefined && DEFAULT_CONFIG[key] !== false && String(DEFAULT_CONFIG[key]) !== ''
    ? {
        default: kind === 'duration' ? `${Number(DEFAULT_CONFIG[key]) / 1000}s` : String(DEFAULT_CONFIG[key]),
      }
    : {}),
})

const FLAGS: Record<string, ProxyFlag> = {
  'hostname-override': flag(
    'hostnameOverride',
    'string',
    'the node name to act for (default: the hostname)',
    'NAME',
  ),
  kubeconfig: flag('kubeconfig', 'string', 'kubeconfig file of the API server', 'PATH'),
  master: flag('master', 'string', "API server URL; overrides the kubeconfig's (plain http allowed)", 'URL'),
  'cluster-cidr': flag(
    'clusterCIDR',
    'string',
    'pod CIDRs (one per family): traffic from outside them is masqueraded',
    'CIDR[,CIDR]',
  ),
  'node-ip-override': flag(
    'nodeIPOverride',
    'string',
    "the node's primary IPs (one per family); the first one's family is the primary family",
    'IP[,IP]',
  ),
  'masquerade-all': flag('masqueradeAll', 'bool', 'SNAT all traffic sent to Service IPs'),
  'nodeport-addresses': flag(
    'nodePortAddresses',
    'string',
    'CIDRs whose node IPs accept NodePorts (default: all)',
    'CIDR,…',
  ),
  'healthz-bind-address': flag('healthzBindAddress', 'string', '/healthz and /livez', 'HOST:PORT'),
  'metrics-bind-address': flag('metricsBindAddress', 'string', '/metrics and /proxyMode', 'HOST:PORT'),
  'sync-period': flag('syncPeriodMs', 'duration', 'the longest time between full syncs', 'DURATION'),
  'iptables-sync-period': flag('syncPeriodMs', 'duration', 'the same as --sync-period', 'DURATION'),
  'min-sync-period': flag('minSyncPeriodMs', 'duration', 'the shortest time between syncs', 'DURATION'),
  'iptables-min-sync-period': flag(
    'minSyncPeriodMs',
    'duration',
    'the same as --min-sync-period',
    'DURATION',
  ),
  'iptables-localhost-nodeports': flag(
    'localhostNodePorts',
    'bool',
    'NodePorts also on 127.0.0.1 (route_localnet)',
  ),
  'proxy-mode': flag('proxyMode', 'string', 'only iptables is implemented', 'MODE'),
  v: flag('verbosity', 'int', 'log verbosity', 'N'),
}

/** `svcnet proxy`: upstream kube-proxy's flag names and semantics (`-flag` and `--flag`, Go durations). */
export const PROXY_COMMAND: CommandSpec = {
  name: 'svcnet proxy',
  summary:
    "svcnet's kube-proxy, iptables mode: watches Services and EndpointSlices and programs this node's rules.",
  style: 'go',
  flags: FLAGS,
  notes: `subcommands (each with --help):
  svcnet proxy render -f FILE…     print the iptables-restore input for manifests
  svcnet proxy trace --src IP --dst IP:PORT (-f FILE… | --from-node)   follow a packet through the rules
  svcnet proxy cleanup             remove every rule and chain the proxy owns`,
}

// Parses argv into a validated config; throws FlagError naming every bad or unknown flag (help: print PROXY_COMMAND).
export function parseProxyFlags(argv: readonly string[]): ProxyConfig & { help: boolean } {
  const cfg: Record<string, unknown> = { ...DEFAULT_CONFIG, hostnameOverride: hostname() }
  const { flags, positional, problems, help } = collectCommand(PROXY_COMMAND, argv)
  for (const p of positional) problems.push(`unexpected argument ${JSON.stringify(p)}`)
  // Only flags given on the command line: absent ones keep DEFAULT_CONFIG's typed values.
  const given = new Set(argv.map((a) => /^--?(?:no-)?([a-z][a-z0-9-]*)/.exec(a)?.[1]))
  for (const [name, spec] of Object.entries(FLAGS)) {
    const value = flags[name]
    if (!given.has(name) || value === undefined) continue
    const bad = (want: string) =>
      problems.push(`invalid value ${JSON.stringify(value)} for --${name}: ${want}`)
    if (spec.kind === 'bool') cfg[spec.key] = value === true
    else if (spec.kind === 'duration') {
      const ms = parseDuration(String(value))
      if (ms === undefined) bad('want a duration such as 30s, 1m or 500ms')
      else cfg[spec.key] = ms
    } else if (spec.kind === 'int') {
      if (/^\d+$/.test(String(value))) cfg[spec.key] = Number(value)
      else bad('want a non-negative integer')
    } else if (spec.key === 'nodePortAddresses' || spec.key === 'nodeIPOverride') {
      cfg[spec.key] = String(value)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    } else cfg[spec.key] = value
  }
  const c = cfg as unknown as ProxyConfig
  if ((c.proxyMode as string) !== 'iptables' && (c.proxyMode as string) !== '')
    problems.push(`unsupported --proxy-mode ${JSON.stringify(c.proxyMode)}: only "iptables" is implemented`)
  c.proxyMode = 'iptables'
  if (c.clusterCIDR !== undefined) {
    const cidrs = c.clusterCIDR.split(',').map((x) => x.trim())
    const families = cidrs.map((x) => parseFamilyCidr(x)?.family)
    if (families.some((f) => f === undefined) || new Set(families).size !== cidrs.length)
      problems.push(
        `invalid --cluster-cidr ${JSON.stringify(c.clusterCIDR)}: want a CIDR, or an IPv4 and an IPv6 CIDR`,
      )
  }
  for (const ip of c.nodeIPOverride)
    if (!canonicalAnyIP(ip))
      problems.push(`invalid --node-ip-override entry ${JSON.stringify(ip)}: want an IP`)
  if (new Set(c.nodeIPOverride.map(familyOf)).size !== c.nodeIPOverride.length)
    problems.push('--node-ip-override takes at most one IP per family')
  for (const cidr of c.nodePortAddresses)
    if (cidr !== 'primary' && !parseFamilyCidr(cidr))
      problems.push(`invalid --nodeport-addresses entry ${JSON.stringify(cidr)}: want a CIDR or "primary"`)
  if (c.master !== undefined && !/^https?:\/\/[^/]+/.test(c.master))
    problems.push(`invalid --master ${JSON.stringify(c.master)}: want http(s)://host:port`)
  if (c.syncPeriodMs <= 0) problems.push('--sync-period must be greater than 0')
  if (c.minSyncPeriodMs > c.syncPeriodMs)
    problems.push(
      `--min-sync-period (${c.minSyncPeriodMs}ms) must not exceed --sync-period (${c.syncPeriodMs}ms)`,
    )
  if (!c.hostnameOverride) problems.push('--hostname-override is empty')
  if (problems.length) throw new FlagError(problems)
  return { ...c, help }
}
