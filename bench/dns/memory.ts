// Memory of svcnet DNS at N Services (each with a 2-endpoint EndpointSlice), fed by informers from the lab's
// in-memory API server on 127.0.0.1 (in this process); prints RSS and V8 heap of the DNS process after it synced.
// Usage: node bench/dns/memory.ts [N...]   (default 0 10000)
import { readFileSync } from 'node:fs'
import { MemoryStore } from '../../src/cluster/lab/control-plane/apiserver/memory-store.ts'
import { startApiServer } from '../../src/cluster/lab/control-plane/apiserver/server.ts'
import type { KubeObject, ResourceName } from '../../src/cluster/lab/control-plane/apiserver/store.ts'
import { start } from '../../src/exec/run.ts'
import { CLI_ENTRY } from '../../src/paths.ts'
import { waitFor } from '../../src/wait/wait-for.ts'
import { benchCluster } from './cluster.ts'

const RESOURCE: Record<string, ResourceName> = {
  Namespace: 'namespaces',
  Service: 'services',
  EndpointSlice: 'endpointslices',
}

/** What one measurement found. */
export interface MemoryFigure {
  services: number
  rssMiB: number
  heapMiB: number
}

// Starts an API server holding n Services, runs svcnet DNS against it until synced, and reads its memory.
export async function measure(n: number): Promise<MemoryFigure> {
  const store = new MemoryStore()
  for (const o of n ? benchCluster(n, 1).objects : [{ kind: 'Namespace', metadata: { name: 'ns0' } }])
    store.create(RESOURCE[o.kind]!, o as unknown as KubeObject)
  const api = await startApiServer({ store, port: 0 })
  const metricsPort = 19153 + (n % 1000)
  const dns = start(process.execPath, [
    CLI_ENTRY,
    'dns',
    'serve',
    '--master',
    api.url,
    '--listen',
    '127.0.0.1',
    '--port',
    '0',
    '--health-address',
    '127.0.0.1:0',
    '--ready-address',
    '127.0.0.1:0',
    '--metrics-address',
    `127.0.0.1:${metricsPort}`,
    '--upstream',
    'none',
  ])
  try {
    const metric = async (name: string) => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
      return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
    }
    await waitFor({
      what: `svcnet DNS to sync ${n} Services`,
      timeoutMs: 120_000,
      intervalMs: 500,
      check: async () => {
        const synced = await metric('coredns_kubernetes_synced').catch(() => 0)
        return synced === 1 ? { done: true, value: undefined } : { done: false, seen: `synced=${synced}` }
      },
    })
    // Let the garbage of the initial list settle before reading.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${dns.pid}/status`, 'utf8'))?.[1]) / 1024
    return { services: n, rssMiB: rss, heapMiB: (await metric('nodejs_heap_size_used_bytes')) / 1048576 }
  } finally {
    dns.kill('SIGTERM')
    await dns.exited
    await api.close()
  }
}

if (import.meta.main) {
  const counts = process.argv.slice(2).map(Number)
  for (const n of counts.length ? counts : [0, 10_000]) {
    const m = await measure(n)
    process.stdout.write(
      `${n} Services: RSS ${m.rssMiB.toFixed(0)} MiB, V8 heap used ${m.heapMiB.toFixed(0)} MiB\n`,
    )
  }
}
