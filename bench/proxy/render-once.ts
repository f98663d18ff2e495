// Child process of the benchmark: reads a manifest file, renders it, prints wall and CPU times, bytes and peak RSS.
import { readFileSync } from 'node:fs'
import { renderRules } from '../../src/proxy/iptables/render.ts'
import { readManifests } from '../../src/proxy/manifests.ts'
import { buildSnapshot } from '../../src/proxy/snapshot.ts'

const file = process.argv[2]
if (!file) throw new Error('usage: render-once.ts FILE')
const cpu = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1000
}
const t0 = performance.now()
const c0 = process.cpuUsage()
const m = readManifests(readFileSync(file, 'utf8'), file)
const readCpuMs = cpu(c0)
const t1 = performance.now()
const c1 = process.cpuUsage()
const r = renderRules(buildSnapshot(m.services, m.slices, 'node-a'), { clusterCIDR: '10.244.0.0/16' })
const renderCpuMs = cpu(c1)
const t2 = performance.now()
process.stdout.write(
  JSON.stringify({
    readMs: t1 - t0,
    renderMs: t2 - t1,
    readCpuMs,
    renderCpuMs,
    bytes: r.restore.length,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
)
