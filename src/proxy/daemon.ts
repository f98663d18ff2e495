// The `svcnet proxy` daemon: flags → one proxier per IP family the node uses, informers, health and metrics servers,
// until SIGTERM/SIGINT.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import type { Server } from 'node:http'
import { realClock } from '../wait/clock.ts'
import type { ProxyConfig } from './flags.ts'
import { parseBindAddress, serve } from '../kube/component-server.ts'
import { loadKubeConfig } from '../kube/client-config.ts'
import { answerHealth, answerMetrics } from './health-server.ts'
import { startProxyInformers } from './informers.ts'
import { SystemConntrack } from './conntrack.ts'
import { detectBackend } from './iptables/backend.ts'
import { SystemIptables } from './iptables/runner.ts'
import { pickNodePortAddresses } from './nodeport-addresses.ts'
import { Proxier } from './proxier.ts'
import { run } from '../exec/run.ts'
import { MetaProxier } from './dual-stack.ts'
import { decideFamilies } from './family-detect.ts'
import { ProxyHealth } from './health.ts'
import { canonicalAnyIP, iptablesBinary, parseFamilyCidr, type IPFamily } from './ip-family.ts'
import { ProxyMetrics } from './metrics.ts'
import { HttpServiceHealthServers } from './service-health.ts'

// Writes one log line to stderr with the component prefix.
function log(msg: string): void {
  process.stderr.write(`svcnet-proxy: ${msg}\n`)
}

// This namespace's interface addresses of one family, or of both (loopback included), canonical.
function localAddresses(family?: IPFamily): string[] {
  return Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? [])
      .filter((a) => family === undefined || a.family === family)
      .map((a) => canonicalAnyIP(a.address) ?? a.address),
  )
}

// Upstream's platform check: the family's iptables works (its save runs), and IPv6 is enabled in the kernel.
async function familySupported(family: IPFamily, backend: string): Promise<boolean> {
  if (family === 'IPv6' && !existsSync('/proc/net/if_inet6')) return false
  const binary = `${iptablesBinary(family, backend)}-save`
  try {
    const r = await run(binary, ['-t', 'nat'], { allowFailure: true, timeoutMs: 5000 })
    if (r.exitCode !== 0) log(`${binary} -t nat failed (exit ${r.exitCode}): ${r.stderr.trim()}`)
    return r.exitCode === 0
  } catch (err) {
    log(`${binary} cannot run: ${(err as Error).message}`)
    return false
  }
}

// Reads a sysctl; undefined when it cannot be read.
function readSysctl(path: string): string | undefined {
  try {
    return readFileSync(`/proc/sys/${path}`, 'utf8').trim()
  } catch (err) {
    log(`cannot read sysctl ${path}: ${(err as Error).message}`)
    return undefined
  }
}

// The families to run: those the node uses, checked against what the platform can program.
async function chooseFamilies(cfg: ProxyConfig, backend: string): Promise<IPFamily[]> {
  const evidence = {
    nodeIPOverride: cfg.nodeIPOverride,
    clusterCIDRs: (cfg.clusterCIDR ?? '').split(',').filter((c) => c.trim()),
    interfaceAddresses: localAddresses(),
  }
  // Only the families the node uses are probed (an IPv4-only node never runs ip6tables).
  const candidates = decideFamilies({ ...evidence, supported: () => true }).families
  const supported = new Set<IPFamily>()
  for (const f of candidates) if (await familySupported(f, backend)) supported.add(f)
  const decision = decideFamilies({ ...evidence, supported: (f) => supported.has(f) })
  log(`IP families: ${decision.reason}`)
  return decision.families
}

// Runs the proxy until SIGTERM/SIGINT.
export async function runDaemon(cfg: ProxyConfig): Promise<number> {
  log(
    `starting on node ${cfg.hostnameOverride}, mode iptables, cluster CIDR ${cfg.clusterCIDR ?? '(none: no local detector)'}`,
  )
  const backend = await detectBackend()
  log(`iptables backend ${backend.backend} (${backend.reason})`)
  const families = await chooseFamilies(cfg, backend.backend)
  // --nodeport-addresses without 127.0.0.1 turns localhost node ports off, as upstream; the node IPs for "primary"
  // are the overrides (the Node object's are not known yet here).
  const pick = (family: IPFamily) =>
    pickNodePortAddresses(
      cfg.nodePortAddresses,
      localAddresses(family),
      cfg.nodeIPOverride,
      cfg.localhostNodePorts,
      family,
    )
  const localhostNodePorts = pick('IPv4')?.localhostNodePorts ?? cfg.localhostNodePorts
  if (families.includes('IPv4') && localhostNodePorts) {
    // As upstream: localhost NodePorts need route_localnet (KUBE-FIREWALL blocks the abuse of it); IPv4 only.
    if (readSysctl('net/ipv4/conf/all/route_localnet') !== '1') {
      writeFileSync('/proc/sys/net/ipv4/conf/all/route_localnet', '1')
      log('set sysctl net.ipv4.conf.all.route_localnet=1')
    }
  }
  let healthy = () => false
  const health = new ProxyHealth(realClock, 2 * cfg.syncPeriodMs)
  const metrics = new ProxyMetrics(families[0])
  const conntrackTCPLiberal = (readSysctl('net/netfilter/nf_conntrack_tcp_be_liberal') ?? '0') !== '0'
  const proxiers = families.map((family, i) => {
    const flog = families.length > 1 ? (msg: string) => log(`${family}: ${msg}`) : log
    return new Proxier({
      nodeName: cfg.hostnameOverride,
      ipFamily: family,
      health,
      metrics: i === 0 ? metrics : metrics.forFamily(family),
      iptables: new SystemIptables({ binary: iptablesBinary(family, backend.backend) }),
      clock: realClock,
      syncPeriodMs: cfg.syncPeriodMs,
      minSyncPeriodMs: cfg.minSyncPeriodMs,
      render: {
        clusterCIDR: (cfg.clusterCIDR ?? '')
          .split(',')
          .map((c) => c.trim())
          .find((c) => parseFamilyCidr(c)?.family === family),
        masqueradeAll: cfg.masqueradeAll,
        localhostNodePorts: family === 'IPv4' && localhostNodePorts,
        conntrackTCPLiberal,
      },
      conntrack: new SystemConntrack({ family }),
      // One set of health-check node port listeners (they accept both families): the primary proxier keeps them.
      ...(i === 0
        ? { serviceHealth: new HttpServiceHealthServers({ healthy: () => healthy(), log: flog }) }
        : {}),
      nodePortIPs: () => pick(family)?.ips,
      log: flog,
    })
  })
  const proxier = new MetaProxier(proxiers)
  healthy = () => health.status().healthy
  const servers: Server[] = []
  servers.push(
    await serve(parseBindAddress(cfg.healthzBindAddress, '--healthz-bind-address'), (p) =>
      answerHealth(p, health, metrics),
    ),
  )
  servers.push(
    await serve(parseBindAddress(cfg.metricsBindAddress, '--metrics-bind-address'), (p) =>
      answerMetrics(p, metrics),
    ),
  )
  log(`healthz on ${cfg.healthzBindAddress}, metrics on ${cfg.metricsBindAddress}`)
  const kc = loadKubeConfig({ master: cfg.master, kubeconfig: cfg.kubeconfig })
  log(`watching services and endpointslices at ${kc.getCurrentCluster()?.server ?? '(no server)'}`)
  const informers = startProxyInformers(kc, proxier, log)
  proxier.start()
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  log(`${signal} received, stopping (iptables rules are left in place, as upstream does)`)
  proxier.stop()
  for (const i of informers) i.stop()
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  return 0
}
