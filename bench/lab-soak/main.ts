// Soak: a lab's API server under steady writes, live watchers and watchers that stop reading; prints the daemon's RSS.
// Usage (root): node bench/lab-soak/main.ts [--seconds 60] [--watchers 4] [--stalled 2] [--kb 16]
import { readFile } from 'node:fs/promises'
import { connect } from 'node:tls'
import { CoreV1Api } from '@kubernetes/client-node'
import { runCommand, type CommandSpec, type ParsedCommand } from '../../src/flags/command.ts'
import { listLabs } from '../../src/cluster/lab/discovery.ts'
import { withKubeConfig } from '../../src/cluster/lab/lab-cluster.ts'
import { labUp } from '../../src/cluster/lab/lab-up.ts'
import { destroyLab } from '../../src/cluster/lab/teardown.ts'
import { summarise } from '../stats.ts'

const SPEC: CommandSpec = {
  name: 'node bench/lab-soak/main.ts',
  summary:
    "Writes ConfigMaps to a lab for a while with live and stalled watchers; prints the daemon's RSS and the write rate.",
  flags: {
    seconds: { type: 'number', description: 'how long to write', default: 60 },
    watchers: { type: 'number', description: 'watchers that read every event', default: 4 },
    stalled: { type: 'number', description: 'watchers that stop reading after connecting', default: 2 },
    kb: { type: 'number', description: 'ConfigMap payload in KiB', default: 16 },
  },
}

// The resident set of a process in MiB, from /proc.
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN)
  return Math.round(kb / 1024)
}

// Opens a watch on the namespace's ConfigMaps over TLS and never reads from the socket again.
function stalledWatch(url: URL, token: string, ca: string | undefined, namespace: string) {
  const socket = connect({
    host: url.hostname,
    port: Number(url.port),
    ...(ca ? { ca } : {}),
    rejectUnauthorized: !!ca,
  })
  socket.write(
    `GET /api/v1/namespaces/${namespace}/configmaps?watch=1 HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`,
  )
  socket.once('data', () => socket.pause())
  socket.on('error', () => {}) // the server drops it once its backlog passes the limit: that is the point
  return socket
}

// Brings a lab up, soaks it, prints one line of results, tears it down.
async function bench(flags: ParsedCommand['flags']): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root')
  const cluster = `soak${process.pid.toString(36)}`
  const lab = await withKubeConfig(await labUp({ cluster }))
  try {
    const [found] = await listLabs({ cluster })
    const pid = found?.daemonPids[0]
    if (pid === undefined) throw new Error(`no daemon process found for lab ${cluster}`)
    const kc = lab.kubeConfig
    const user = kc.getCurrentUser()
    const server = kc.getCurrentCluster()
    if (!user?.token || !server) throw new Error('the lab kubeconfig has no token or no cluster')
    const ca = server.caData ? Buffer.from(server.caData, 'base64').toString() : undefined
    const core = kc.makeApiClient(CoreV1Api)
    const namespace = 'svcnet-soak'
    await core.createNamespace({ body: { metadata: { name: namespace } } })
    const seen = { events: 0 }
    const live: AbortController[] = []
    for (let i = 0; i < (flags.watchers as number); i++) {
      const ac = new AbortController()
      live.push(ac)
      void fetchWatch(server.server, user.token, ca, namespace, ac.signal, seen)
    }
    const stalled = Array.from({ length: flags.stalled as number }, () =>
      stalledWatch(new URL(server.server), user.token!, ca, namespace),
    )
    const payload = 'x'.repeat((flags.kb as number) * 1024)
    const rss: number[] = [await rssMiB(pid)]
    const start = Date.now()
    let writes = 0
    let next = start + 1000
    while (Date.now() - start < (flags.seconds as number) * 1000) {
      const name = `cm-${writes % 50}`
      await core.deleteNamespacedConfigMap({ name, namespace }).catch(() => undefined) // absent on the first round
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name }, data: { payload } } })
      writes++
      if (Date.now() >= next) {
        rss.push(await rssMiB(pid))
        next += 1000
      }
    }
    const elapsed = (Date.now() - start) / 1000
    rss.push(await rssMiB(pid))
    const health = await core.listNamespace().then(
      () => 'answers',
      (err: Error) => `fails: ${err.message}`,
    )
    for (const ac of live) ac.abort()
    for (const s of stalled) s.destroy()
    const r = summarise(rss)
    process.stdout.write(
      `lab-soak: ${writes} writes (create+delete of ${flags.kb} KiB ConfigMaps) in ${elapsed.toFixed(1)}s = ${Math.round((2 * writes) / elapsed)} req/s; ` +
        `${flags.watchers} live watchers saw ${seen.events} events, ${flags.stalled} stalled; daemon RSS MiB start ${rss[0]}, p50 ${r.p50}, max ${r.max}, end ${rss.at(-1)}; API ${health}\n`,
    )
    return health === 'answers' ? 0 : 1
  } finally {
    await destroyLab(cluster)
  }
}

// A watch that reads and counts every event until aborted.
async function fetchWatch(
  server: string,
  token: string,
  ca: string | undefined,
  namespace: string,
  signal: AbortSignal,
  seen: { events: number },
): Promise<void> {
  const { request } = await import('node:https')
  await new Promise<void>((resolve) => {
    const req = request(
      `${server}/api/v1/namespaces/${namespace}/configmaps?watch=1`,
      {
        headers: { Authorization: `Bearer ${token}` },
        ...(ca ? { ca } : { rejectUnauthorized: false }),
        signal,
      },
      (res) => {
        res.on('data', (c: Buffer) => (seen.events += c.toString().split('\n').length - 1))
        res.on('close', () => resolve())
      },
    )
    req.on('error', () => resolve()) // aborted at the end
    req.end()
  })
}

// The command line (--help, usage errors with exit 2), then the bench.
function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, ({ flags }) => bench(flags))
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`lab-soak: ${err.message}\n`)
    process.exit(1)
  },
)
