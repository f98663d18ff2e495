// Service creates per second against the lab API server with every controller running, at 100, 500 and 1000
// Services from 10 concurrent clients over HTTP on 127.0.0.1 (loopback only). Run: node bench/lab/service-creates.ts [counts…]
import { defaultAdmission } from '../../src/cluster/lab/control-plane/apiserver/default-admission.ts'
import { MemoryStore } from '../../src/cluster/lab/control-plane/apiserver/memory-store.ts'
import { startApiServer } from '../../src/cluster/lab/control-plane/apiserver/server.ts'
import { startControllers } from '../../src/cluster/lab/control-plane/controllers/index.ts'
import { createRates, formatRates, type CreateRates } from './rates.ts'

const CLIENTS = 10
// Each count is run this many times on a fresh cluster; the median (by overall rate) is printed.
const REPEATS = 3
// Creates in a first, unreported run (JIT, connection pool).
const WARMUP = 300
const NAMESPACE = 'bench'
// Every run stops after this long, whatever its count.
const RUN_LIMIT_MS = 120_000

// A ClusterIP Service selecting pods app=<name> (none exist: each gets an empty placeholder EndpointSlice).
function serviceBody(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  })
}

// Creates `count` Services from CLIENTS concurrent clients on a fresh store, API server and controllers.
async function run(count: number): Promise<CreateRates> {
  const store = new MemoryStore({ admission: defaultAdmission() })
  const problems: string[] = []
  const controllers = startControllers(store, {
    apiServer: { host: '172.18.0.2', port: 6443 },
    log: (line) => problems.push(line),
  })
  const server = await startApiServer({ store, host: '127.0.0.1', port: 0 })
  try {
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } })
    await controllers.idle()
    const url = `${server.url}/api/v1/namespaces/${NAMESPACE}/services`
    const doneAt: number[] = []
    const cpuBefore = process.cpuUsage()
    const start = performance.now()
    const deadline = start + RUN_LIMIT_MS
    let next = 0
    const client = async (): Promise<void> => {
      while (next < count) {
        if (performance.now() > deadline) throw new Error(`run of ${count} passed ${RUN_LIMIT_MS}ms`)
        const i = next++
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: serviceBody(`svc-${i}`),
        })
        const text = await res.text()
        if (res.status !== 201) throw new Error(`POST ${url} svc-${i}: HTTP ${res.status}: ${text}`)
        doneAt.push(performance.now() - start)
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, client))
    await controllers.idle()
    const convergedMs = performance.now() - start
    const cpu = process.cpuUsage(cpuBefore)
    const slices = store.list('endpointslices', { namespace: NAMESPACE }).items.length
    if (slices !== count) throw new Error(`expected ${count} EndpointSlices after the run, found ${slices}`)
    if (problems.length > 0) throw new Error(`controllers logged failures:\n${problems.join('\n')}`)
    return createRates(doneAt, convergedMs, (cpu.user + cpu.system) / 1000)
  } finally {
    controllers.stop()
    await server.close()
  }
}

// The median of a run repeated REPEATS times, by overall rate.
async function median(count: number): Promise<CreateRates> {
  const runs: CreateRates[] = []
  for (let i = 0; i < REPEATS; i++) runs.push(await run(count))
  return runs.sort((a, b) => a.overall - b.overall)[Math.floor(REPEATS / 2)]!
}

const counts = process.argv.slice(2).map(Number)
for (const count of counts) {
  if (!Number.isInteger(count) || count < 10)
    throw new TypeError(`count must be an integer ≥ 10, got ${count}`)
}
await run(WARMUP)
process.stdout.write(`median of ${REPEATS} runs each, after a warm-up run of ${WARMUP}\n`)
for (const count of counts.length > 0 ? counts : [100, 500, 1000]) {
  process.stdout.write(`${formatRates(count, CLIENTS, await median(count))}\n`)
}
