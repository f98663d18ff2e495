import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CoreV1Api } from '@kubernetes/client-node'
import { run } from '../../../../exec/run.ts'
import { kubeConfigFrom, renderKubeconfig } from '../../../../kube/kubeconfig.ts'
import { MemoryStore } from './memory-store.ts'
import { startApiServer, type ApiServer } from './server.ts'
import {
  KUBERNETES_SERVICE_NAMES,
  makeServingCerts,
  writePrivateFile,
  type ServingCerts,
} from './serving-certs.ts'

const ADMIN = 'admin-token-0123456789abcdef'
const POD = 'pod-token-0123456789abcdef'
let server: ApiServer
let store: MemoryStore
let certs: ServingCerts
let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcnet-auth-'))
  certs = await makeServingCerts({ dir, ips: ['127.0.0.1'], dnsNames: KUBERNETES_SERVICE_NAMES })
  store = new MemoryStore()
  server = await startApiServer({
    store,
    tls: { key: certs.key, cert: certs.cert },
    tokens: new Map([
      [ADMIN, 'svcnet:admin'],
      [POD, 'system:serviceaccount:kube-system:default'],
    ]),
  })
})
after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

// One HTTPS request trusting the lab CA; the status and body.
function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {}, ca: certs.caCert },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

test('the API server serves TLS with a certificate for its addresses; the keys are private', async () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  assert.equal((await call('/healthz')).body, 'ok')
  for (const key of ['ca.key', 'apiserver.key'])
    assert.equal((await stat(join(dir, key))).mode & 0o777, 0o600, key)
  await writePrivateFile(join(dir, 'token'), ADMIN)
  assert.equal((await stat(join(dir, 'token'))).mode & 0o777, 0o600)
})

test('requests without a valid bearer token get 401 Unauthorized; health checks need none', async () => {
  const tries: Record<string, string>[] = [
    {},
    { Authorization: 'Bearer wrong-token-0123456789' },
    { Authorization: `Basic ${ADMIN}` },
    { Authorization: `Bearer ${ADMIN}x` },
  ]
  for (const headers of tries) {
    const res = await call('/api/v1/namespaces', { headers })
    assert.equal(res.status, 401, JSON.stringify(headers))
    const body = JSON.parse(res.body) as { kind: string; reason: string; message: string }
    assert.deepEqual([body.kind, body.reason, body.message], ['Status', 'Unauthorized', 'Unauthorized'])
  }
  const created = await call('/api/v1/namespaces/default/pods', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      metadata: { name: 'sneaky' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    }),
  })
  assert.equal(created.status, 401)
  assert.equal(store.get('pods', 'default', 'sneaky'), undefined, 'nothing was created')
  for (const token of [ADMIN, POD]) {
    assert.equal(
      (await call('/api/v1/namespaces', { headers: { Authorization: `Bearer ${token}` } })).status,
      200,
    )
  }
})

test('an upgrade (exec) without a token is refused with 401 before any stream starts', async () => {
  const res = await call('/api/v1/namespaces/default/pods/x/exec?command=sh', {
    headers: {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    },
  })
  assert.equal(res.status, 401, res.body)
})

test('@kubernetes/client-node and the real kubectl authenticate with the kubeconfig the lab writes', async () => {
  const text = renderKubeconfig('auth', server.url, { token: ADMIN, caCert: certs.caCert })
  const core = kubeConfigFrom(text).makeApiClient(CoreV1Api)
  const list = await core.listNamespace()
  assert.ok(list.items.some((n) => n.metadata?.name === 'default'))
  const anonymous = kubeConfigFrom(renderKubeconfig('auth', server.url, { caCert: certs.caCert }))
  await assert.rejects(
    anonymous.makeApiClient(CoreV1Api).listNamespace(),
    (e: { code?: number }) => e.code === 401,
  )
  if (!existsSync('/usr/bin/kubectl')) return
  await writePrivateFile(join(dir, 'kubeconfig'), text)
  const ok = await run(
    '/usr/bin/kubectl',
    ['--kubeconfig', join(dir, 'kubeconfig'), 'get', 'ns', '-o', 'name'],
    {
      allowFailure: true,
      timeoutMs: 20000,
    },
  )
  assert.match(ok.stdout, /namespace\/default/, ok.stderr)
  await writePrivateFile(join(dir, 'anon'), renderKubeconfig('auth', server.url, { caCert: certs.caCert }))
  const denied = await run('/usr/bin/kubectl', ['--kubeconfig', join(dir, 'anon'), 'get', 'ns'], {
    allowFailure: true,
    timeoutMs: 20000,
  })
  assert.notEqual(denied.exitCode, 0)
  // Without credentials kubectl asks for a username on stdin (EOF here) or reports the 401.
  assert.match(denied.stderr, /provide credentials|Unauthorized|EOF/)
})
