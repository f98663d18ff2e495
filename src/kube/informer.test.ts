import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { V1Service } from '@kubernetes/client-node'
import { waitFor } from '../wait/wait-for.ts'
import { loadKubeConfig } from './client-config.ts'
import { startInformer } from './informer.ts'

test('a failed list is retried with backoff and onSynced comes only after a list succeeds', async () => {
  let lists = 0
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.searchParams.get('watch') === 'true') return void res.write('')
    lists++
    if (lists < 3) return void res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"code":500}')
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ kind: 'ServiceList', metadata: { resourceVersion: '1' }, items: [] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const logs: string[] = []
  let synced = 0
  const client = loadKubeConfig({ master: `http://127.0.0.1:${port}` })
  const informer = startInformer<V1Service>({
    what: 'services',
    client,
    path: '/api/v1/services',
    handler: { onAdd() {}, onUpdate() {}, onDelete() {}, onSynced: () => synced++ },
    log: (m) => logs.push(m),
    minBackoffMs: 20,
    maxBackoffMs: 40,
  })
  try {
    await waitFor({
      what: 'the informer to sync after two failed lists',
      timeoutMs: 10_000,
      intervalMs: 10,
      check: async () => (synced ? { done: true, value: null } : { done: false, seen: logs.join(' | ') }),
    })
    assert.equal(lists, 3)
    assert.equal(synced, 1)
    assert.equal(logs.length, 2)
    assert.match(
      logs[0]!,
      /^services: list\/watch \/api\/v1\/services failed: HTTP 500: \{"code":500\}; retrying in 20ms$/,
    )
    assert.match(logs[1]!, /retrying in 40ms/)
    assert.equal(informer.synced, true)
  } finally {
    informer.stop()
    client.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})
