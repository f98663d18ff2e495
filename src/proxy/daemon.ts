// The `svcnet proxy` daemon: flags → proxier, informers, health and metrics servers, until SIGTERM/SIGINT.
import { readFileSync, writeFileSync } from 'node:fs'
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
import { HttpServiceHealthServers } from './service-health.ts'

// Writes one log line to stderr with the component prefix.
function log(msg: string): void {
  process.stderr.write(`svcnet-proxy: ${msg}\n`)
}

// IPv4 addresses of this namespace's interfaces (127.0.0.1 included).
function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address),
  )
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

// Runs the proxy until SIGTERM/SIGINT.
export async function runDaemon(cfg: ProxyConfig): Promise<number> {
  log(
    `starting on node ${cfg.hostnameOverride}, mode iptables, cluster CIDR ${cfg.clusterCIDR ?? '(none: no local detector)'}`,
  )
  // --nodeport-addresses without 127.0.0.1 turns localhost node ports off, as upstream.
  const pick = () =>
    pickNodePortAddresses(cfg.nodePortAddresses, localAddresses(), [], cfg.localhostNodePorts)
  const localhostNodePorts = pick()?.localhostNodePorts ?? cfg.localhostNodePorts
  if (localhostNodePorts) {
    // As upstream: localhost NodePorts need route_localnet (KUBE-FIREWALL blocks the abuse of it).
    if (readSysctl('net/ipv4/conf/all/route_localnet') !== '1') {
      writeFileSync('/proc/sys/net/ipv4/conf/all/route_localnet', '1')
      log('set sysctl net.ipv4.conf.all.route_localnet=1')
    }
  }
  const backend = await detectBackend()
  log(`iptables backend ${backend.backend} (${backend.reason})`)
  let healthy = () => false
  const proxier = new Proxier({
    nodeName: cfg.hostnameOverride,
    iptables: new SystemIptables({ binary: `iptables-${backend.backend}` }),
    clock: realClock,
    syncPeriodMs: cfg.syncPeriodMs,
    minSyncPeriodMs: cfg.minSyncPeriodMs,
    render: {
      clusterCIDR: cfg.clusterCIDR,
      masqueradeAll: cfg.masqueradeAll,
      localhostNodePorts,
      conntrackTCPLiberal: (readSysctl('net/netfilter/nf_conntrack_tcp_be_liberal') ?? '0') !== '0',
    },
    conntrack: new SystemConntrack(),
    serviceHealth: new HttpServiceHealthServers({ healthy: () => healthy(), log }),
    nodePortIPs: () => pick()?.ips,
    log,
  })
  healthy = () => proxier.health.status().healthy
  const servers: Server[] = []
  servers.push(
    await serve(parseBindAddress(cfg.healthzBindAddress, '--healthz-bind-address'), (p) =>
      answerHealth(p, proxier.health, proxier.metrics),
    ),
  )
  servers.push(
    await serve(parseBindAddress(cfg.metricsBindAddress, '--metrics-bind-address'), (p) =>
      answerMetrics(p, proxier.metrics),
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
