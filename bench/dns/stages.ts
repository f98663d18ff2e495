// In-process cost of each stage of answering, per query, on the benchmark's query mix (no sockets):
// dns-packet decode, readQuery (decode + raw question), answer() (pure), respond() (read + answer + encode).
// Usage: node bench/dns/stages.ts [services [stage]]   (stage: a word of a label, e.g. respond, to run only that one)
import dnsPacket from 'dns-packet'
import { answer } from '../../src/dns/answer.ts'
import { DEFAULT_ANSWER_CONFIG } from '../../src/dns/config.ts'
import { indexFromObjects, type ManifestObject } from '../../src/dns/manifests.ts'
import { respond } from '../../src/dns/respond.ts'
import { encodeQuery } from '../../src/dns/test-client.ts'
import { readQuery, typeName, type Query } from '../../src/dns/wire-query.ts'
import { benchCluster } from './cluster.ts'

const KIND: Record<string, ManifestObject['kind']> = {
  Namespace: 'namespaces',
  Service: 'services',
  EndpointSlice: 'endpointslices',
}
const cluster = benchCluster(Number(process.argv[2] ?? 1000), 10_000)
const index = indexFromObjects(cluster.objects.map((o) => ({ kind: KIND[o.kind]!, obj: o })))
const packets = cluster.queries
  .trim()
  .split('\n')
  .map((line) => {
    const [name, type] = line.split(' ')
    return encodeQuery(name!, type!, { id: 1 })
  })
const parsed = packets.map((p) => readQuery(p) as Query)

// Runs f over the queries (two rounds; the second is timed) and prints µs per query.
function time(label: string, f: (i: number) => void): void {
  if (process.argv[3] && !label.includes(process.argv[3])) return
  const n = 200_000
  for (let round = 0; round < 2; round++) {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) f(i % packets.length)
    if (round === 1)
      process.stdout.write(
        `${label.padEnd(34)} ${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs/query\n`,
      )
  }
}

time('dns-packet decode', (i) => dnsPacket.decode(packets[i]!))
time('readQuery (decode + checks)', (i) => readQuery(packets[i]!))
time('answer() (pure)', (i) =>
  answer({ name: parsed[i]!.name, type: typeName(parsed[i]!.qtype) }, index, DEFAULT_ANSWER_CONFIG),
)
time('respond() (read + answer + encode)', (i) => respond(packets[i]!, 'udp', index, DEFAULT_ANSWER_CONFIG))
