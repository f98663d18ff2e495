// `svcnet dns serve`: the cluster DNS server (informers → index → answers), health, readiness and metrics.
import { readFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import type { Server } from 'node:http'
import { UsageError, type CommandSpec, type ParsedCommand } from '../flags/command.ts'
import { parseBindAddress, serve } from '../kube/component-server.ts'
import { loadKubeConfig } from '../kube/client-config.ts'
import { ClusterIndex } from './cluster-index.ts'
import { ANSWER_FLAGS, answerConfigFromFlags, validateAnswerConfig, type AnswerConfig } from './config.ts'
import { Forwarder, parseUpstream, upstreamsFromResolvConf, type Upstream } from './forwarder.ts'
import { startDnsInformers } from './informers.ts'
import { indexFromObjects, readDnsObjects } from './manifests.ts'
import { DnsMetrics } from './metrics.ts'
import { DnsServer } from './server.ts'

/** `svcnet dns serve`'s command line. */
export const SERVE_COMMAND: CommandSpec = {
  name: 'svcnet dns serve',
  summary:
    "svcnet's cluster DNS: answers the cluster zone from Services, EndpointSlices and Namespaces (CoreDNS's kubernetes plugin under kind's Corefile) and forwards the rest.",
  flags: {
    ...ANSWER_FLAGS,
    'reverse-fallthrough': {
      type: 'boolean',
      description: 'forward reverse lookups that match nothing (--no-reverse-fallthrough: NXDOMAIN)',
      default: true,
    },
    listen: { type: 'string', value: 'ADDR', description: 'address for UDP and TCP', default: '0.0.0.0' },
    port: { type: 'number', description: 'DNS port (UDP and TCP)', default: 53 },
    'health-address': { type: 'string', value: 'HOST:PORT', description: 'GET /health', default: ':8080' },
    'ready-address': {
      type: 'string',
      value: 'HOST:PORT',
      description: 'GET /ready (200 once synced)',
      default: ':8181',
    },
    'metrics-address': {
      type: 'string',
      value: 'HOST:PORT',
      description: 'GET /metrics (Prometheus)',
      default: ':9153',
    },
    filename: {
      type: 'strings',
      short: 'f',
      value: 'FILE',
      description: 'serve these manifests instead of watching an API server (benchmarks, offline use)',
    },
    master: {
      type: 'string',
      value: 'URL',
      description: 'API server URL (plain http works), overrides the kubeconfig',
    },
    kubeconfig: {
      type: 'string',
      value: 'FILE',
      description: 'kubeconfig (default: in-cluster or the default loading rules)',
    },
    upstream: {
      type: 'strings',
      value: 'HOST[:PORT]',
      description:
        'resolver for names outside the zone; "none" fails them fast (default: $SVCNET_DNS_UPSTREAM, else --resolv-conf)',
    },
    'resolv-conf': {
      type: 'string',
      value: 'FILE',
      description: 'where the default upstreams come from',
      default: '/etc/resolv.conf',
    },
    'forward-timeout': { type: 'number', value: 'MS', description: 'per-upstream timeout', default: 2000 },
    'cache-ttl': {
      type: 'number',
      value: 'SECONDS',
      description: 'longest time a forwarded answer is cached',
      default: 30,
    },
    'answer-memo': {
      type: 'number',
      value: 'N',
      description: 'encoded answers kept per index generation (0: compute every answer)',
      default: 10_000,
    },
    'self-ip': {
      type: 'strings',
      value: 'IP',
      description: "this server's IP, for the apex NS (default: $POD_IP, else the interfaces' addresses)",
    },
  },
}

// Writes one log line to stderr with the component prefix.
function log(msg: string): void {
  process.stderr.write(`svcnet-dns: ${msg}\n`)
}

/** Everything `serve` needs, from flags and environment. */
export interface ServeConfig {
  answer: AnswerConfig
  listen: string
  port: number
  health: string
  ready: string
  metrics: string
  master?: string
  kubeconfig?: string
  /** Manifests to serve instead of an API server's objects. */
  files?: string[]
  upstreams: Upstream[]
  forwardTimeoutMs: number
  cacheTtl: number
  /** Encoded answers kept until the index changes. @default 10000 */
  answerMemo?: number
}

// The non-loopback addresses of this network namespace.
function localIPs(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((l) => l ?? [])
    .filter((a) => !a.internal)
    .map((a) => a.address)
}

// Builds and validates the config; every problem at once.
export function serveConfig(
  flags: ParsedCommand['flags'],
  env: NodeJS.ProcessEnv = process.env,
): ServeConfig {
  const problems: string[] = []
  const selfIPs = (flags['self-ip'] as string[]).length
    ? (flags['self-ip'] as string[])
    : env.POD_IP
      ? [env.POD_IP]
      : localIPs()
  const answer = answerConfigFromFlags(flags, {
    reverseFallthrough: flags['reverse-fallthrough'] !== false,
    selfIPs,
  })
  problems.push(...validateAnswerConfig(answer))
  let upstreamText = flags.upstream as string[]
  if (upstreamText.length === 0 && env.SVCNET_DNS_UPSTREAM)
    upstreamText = env.SVCNET_DNS_UPSTREAM.split(/[\s,]+/).filter(Boolean)
  let upstreams: Upstream[] = []
  if (upstreamText.length === 1 && upstreamText[0] === 'none') upstreams = []
  else if (upstreamText.length) {
    for (const u of upstreamText) {
      try {
        upstreams.push(parseUpstream(u))
      } catch (err) {
        problems.push((err as Error).message)
      }
    }
  } else {
    const file = String(flags['resolv-conf'])
    try {
      upstreams = upstreamsFromResolvConf(readFileSync(file, 'utf8'))
    } catch (err) {
      problems.push(`cannot read --resolv-conf ${file}: ${(err as Error).message}`)
    }
  }
  for (const f of ['health-address', 'ready-address', 'metrics-address']) {
    try {
      parseBindAddress(String(flags[f]), `--${f}`)
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  const port = Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port ${flags.port}: want 0-65535`)
  if (problems.length) throw new UsageError(problems.join('\n'))
  return {
    answer,
    listen: String(flags.listen),
    port,
    health: String(flags['health-address']),
    ready: String(flags['ready-address']),
    metrics: String(flags['metrics-address']),
    master: flags.master as string | undefined,
    kubeconfig: flags.kubeconfig as string | undefined,
    files: (flags.filename as string[]).length ? (flags.filename as string[]) : undefined,
    upstreams,
    forwardTimeoutMs: Number(flags['forward-timeout']),
    cacheTtl: Number(flags['cache-ttl']),
    answerMemo: Number(flags['answer-memo']),
  }
}

/** A running DNS daemon. */
export interface RunningDns {
  server: DnsServer
  index: ClusterIndex
  http: Server[]
  close(): Promise<void>
}

// Starts everything: informers, the DNS listeners and the three HTTP endpoints.
export async function startDns(cfg: ServeConfig, logFn: (msg: string) => void = log): Promise<RunningDns> {
  const watchPods = cfg.answer.pods === 'verified'
  const index = cfg.files
    ? indexFromObjects(cfg.files.flatMap((f) => readDnsObjects(readFileSync(f, 'utf8'), f)))
    : new ClusterIndex({ required: watchPods ? undefined : ['services', 'endpointslices', 'namespaces'] })
  const forwarder = new Forwarder({
    upstreams: cfg.upstreams,
    timeoutMs: cfg.forwardTimeoutMs,
    maxCacheTtl: cfg.cacheTtl,
    log: logFn,
  })
  const metrics = new DnsMetrics(cfg.answer.zone, index, forwarder, () => index.hasSynced())
  const server = new DnsServer({
    index,
    cfg: cfg.answer,
    forwarder,
    address: cfg.listen,
    port: cfg.port,
    maxMemo: cfg.answerMemo,
    observe: (o) => metrics.observe(o),
    log: logFn,
  })
  const kc = cfg.files ? undefined : loadKubeConfig({ master: cfg.master, kubeconfig: cfg.kubeconfig })
  const informers = kc ? startDnsInformers(kc, index, { watchPods, log: logFn }) : []
  const port = await server.start()
  const http = [
    await serve(parseBindAddress(cfg.health, '--health-address'), (p) =>
      p === '/health'
        ? { status: 200, type: 'text/plain', body: 'OK' }
        : { status: 404, type: 'text/plain', body: '404 page not found\n' },
    ),
    await serve(parseBindAddress(cfg.ready, '--ready-address'), (p) =>
      p !== '/ready'
        ? { status: 404, type: 'text/plain', body: '404 page not found\n' }
        : index.hasSynced()
          ? { status: 200, type: 'text/plain', body: 'OK' }
          : { status: 503, type: 'text/plain', body: 'kubernetes' },
    ),
    await serve(parseBindAddress(cfg.metrics, '--metrics-address'), async (p) =>
      p === '/metrics'
        ? { status: 200, type: metrics.registry.contentType, body: await metrics.registry.metrics() }
        : { status: 404, type: 'text/plain', body: '404 page not found\n' },
    ),
  ]
  const up =
    cfg.upstreams.map((u) => `${u.host}:${u.port}`).join(', ') || 'none (names outside the zone get SERVFAIL)'
  logFn(
    `serving ${cfg.answer.zone} on ${cfg.listen}:${port} (udp, tcp); upstreams: ${up}; ${kc ? `API server ${kc.getCurrentCluster()?.server ?? '(none)'}` : `manifests ${cfg.files!.join(', ')}`}`,
  )
  return {
    server,
    index,
    http,
    async close() {
      for (const i of informers) i.stop()
      forwarder.close()
      await server.close()
      await Promise.all(http.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
    },
  }
}

// Runs the server until SIGTERM/SIGINT; returns the exit code.
export async function runServe(parsed: ParsedCommand): Promise<number> {
  if (parsed.positional.length)
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positional[0])}`)
  const cfg = serveConfig(parsed.flags)
  const stopping = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  const dns = await startDns(cfg)
  const signal = await stopping
  log(`${signal} received, stopping`)
  await dns.close()
  return 0
}
