import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { V1Node, V1Service } from '@kubernetes/client-node'
import { waitFor } from '../wait/wait-for.ts'
import { loadKubeConfig } from '../kube/client-config.ts'
import { startProxyInformers } from './informers.ts'
import type { ResourceHandler } from '../kube/resource-handler.ts'

// A loopback API server: services list/watch with a 410 on the first watch; empty endpointslices; nodes by name.
function fakeApiServer() {
  let lists = 0
  let watches = 0
  const nodeQueries: string[] = []
  const svc = (name: string, rv: string) => ({
    metadata: { namespace: 'default', name, resourceVersion: rv },
    spec: { clusterIP: '10.96.0.9', ports: [{ port: 80 }] },
  })
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const isWatch = url.searchParams.get('watch') === 'true'
    res.setHeader('Content-Type', 'application/json')
    if (url.pathname === '/apis/discovery.k8s.io/v1/endpointslices') {
      if (isWatch) return void res.write('') // hold the watch open
      return void res.end(
        JSON.stringify({ kind: 'EndpointSliceList', metadata: { resourceVersion: '1' }, items: [] }),
      )
    }
    if (url.pathname === '/api/v1/nodes') {
      nodeQueries.push(`${isWatch ? 'watch' : 'list'} ${url.searchParams.get('fieldSelector')}`)
      if (isWatch) return void res.write('')
      const items = [{ metadata: { name: 'node-a', resourceVersion: '3' } }]
      return void res.end(JSON.stringify({ kind: 'NodeList', metadata: { resourceVersion: '3' }, items }))
    }
    if (url.pathname !== '/api/v1/services') return void res.writeHead(404).end('{}')
    if (!isWatch) {
      lists++
      const items = lists === 1 ? [svc('a', '5')] : [svc('b', '9')]
      return void res.end(
        JSON.stringify({
          kind: 'ServiceList',
          metadata: { resourceVersion: lists === 1 ? '5' : '9' },
          items,
        }),
      )
    }
    watches++
    if (watches === 1) {
      res.write(JSON.stringify({ type: 'MODIFIED', object: svc('a', '6') }) + '\n')
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: { kind: 'Status', code: 410, message: 'too old resource version' },
        }) + '\n',
      )
    } else res.write('')
  })
  return { server, counts: () => ({ lists, watches, nodeQueries }) }
}

test('informer lists, watches over plain http, and relists after 410 Gone (deleting what vanished)', async () => {
  const { server, counts } = fakeApiServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const events: string[] = []
  const handler = <T extends { metadata?: { name?: string } }>(kind: string): ResourceHandler<T> => ({
    onAdd: (o) => events.push(`${kind} add ${o.metadata?.name}`),
    onUpdate: (_o, n) => events.push(`${kind} update ${n.metadata?.name}`),
    onDelete: (o) => events.push(`${kind} delete ${o.metadata?.name}`),
    onSynced: () => events.push(`${kind} synced`),
  })
  const informers = startProxyInformers(
    loadKubeConfig({ master: `http://127.0.0.1:${port}` }),
    {
      nodeName: 'node-a',
      services: handler<V1Service>('svc'),
      endpointSlices: handler('eps'),
      nodes: handler<V1Node>('node'),
    },
    () => {},
  )
  try {
    await waitFor({
      what: 'the services informer to relist after 410 and the node informer to sync',
      timeoutMs: 10_000,
      intervalMs: 20,
      check: async () =>
        events.includes('svc add b') && events.includes('node synced')
          ? { done: true, value: null }
          : { done: false, seen: events.join(', ') },
    })
    const svcEvents = events.filter((e) => e.startsWith('svc'))
    // ListWatch applies a relist by deleting what vanished first, then adding what is new.
    assert.deepEqual(svcEvents, ['svc add a', 'svc synced', 'svc update a', 'svc delete a', 'svc add b'])
    assert.ok(events.includes('eps synced'))
    assert.equal(counts().lists, 2)
    assert.ok(events.includes('node add node-a') && events.includes('node synced'))
    assert.deepEqual(counts().nodeQueries, ['list metadata.name=node-a', 'watch metadata.name=node-a'])
  } finally {
    for (const i of informers) i.stop()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})
