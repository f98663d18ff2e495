// `svcnet dns query` end to end through the CLI entry, on the example manifests.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parseCommand } from '../flags/command.ts'
import { QUERY_COMMAND, runQuery, type QueryJson } from './query-command.ts'

const FILE = new URL('./testdata/cluster.yaml', import.meta.url).pathname

// Runs `dns query --json … ARGS` and returns the parsed JSON.
async function query(...args: string[]): Promise<QueryJson> {
  let out = ''
  const code = await runQuery(parseCommand(QUERY_COMMAND, ['-f', FILE, '--json', ...args]), (s) => (out += s))
  assert.equal(code, 0)
  return JSON.parse(out) as QueryJson
}

test('dns query --json prints rcode, flags and presentation-form records', async () => {
  assert.deepEqual(await query('svc1.testns.svc.cluster.local'), {
    rcode: 'NOERROR',
    aa: true,
    tc: false,
    answer: ['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1'],
    authority: [],
    additional: [],
    question: 'svc1.testns.svc.cluster.local. IN A',
  })
  const srv = await query('_http._tcp.web.testns.svc.cluster.local', 'SRV', '--ttl', '5')
  assert.deepEqual(srv.answer, [
    '_http._tcp.web.testns.svc.cluster.local. 5 IN SRV 0 50 8080 web-0.web.testns.svc.cluster.local.',
    '_http._tcp.web.testns.svc.cluster.local. 5 IN SRV 0 50 8080 web-1.web.testns.svc.cluster.local.',
  ])
  const nx = await query('nope.testns.svc.cluster.local')
  assert.equal(nx.rcode, 'NXDOMAIN')
  assert.match(nx.authority[0]!, /^cluster\.local\. 30 IN SOA /)
  const out = await query('example.com', 'AAAA')
  assert.equal(out.forwarded, true)
})

test('dns query honours --zone and --pods, and prints dig-like text by default', async () => {
  assert.equal(
    (await query('1-2-3-4.testns.pod.cluster.local')).answer[0],
    '1-2-3-4.testns.pod.cluster.local. 30 IN A 1.2.3.4',
  )
  assert.equal((await query('1-2-3-4.testns.pod.cluster.local', '--pods', 'disabled')).rcode, 'NXDOMAIN')
  assert.equal((await query('svc1.testns.svc.k8s.test', '--zone', 'k8s.test')).answer.length, 1)
  let out = ''
  await runQuery(parseCommand(QUERY_COMMAND, ['-f', FILE, 'web.testns.svc.cluster.local']), (s) => (out += s))
  assert.match(out, /status: NOERROR/)
  assert.match(out, /;; ANSWER SECTION:\nweb\.testns\.svc\.cluster\.local\. 30 IN A 10\.244\.1\.5\n/)
  assert.ok(readFileSync(FILE, 'utf8').includes('web-0'))
})
