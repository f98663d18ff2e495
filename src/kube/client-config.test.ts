// loadKubeConfig against the lab's real API server over TLS: a kubeconfig's CA file (relative path), its token,
// insecure-skip-tls-verify, the in-cluster rules, and an exec-plugin user served through client-node's fallback.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dump } from 'js-yaml'
import { MemoryStore } from '../cluster/lab/control-plane/apiserver/memory-store.ts'
import { startApiServer, type ApiServer } from '../cluster/lab/control-plane/apiserver/server.ts'
import { makeServingCerts } from '../cluster/lab/control-plane/apiserver/serving-certs.ts'
import { loadKubeConfig } from './client-config.ts'

const TOKEN = 'client-config-test-token'
let dir: string
let server: ApiServer

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcnet-client-config-'))
  const certs = await makeServingCerts({ dir, ips: ['127.0.0.1'], dnsNames: ['localhost'] })
  server = await startApiServer({
    store: new MemoryStore(),
    tls: { key: certs.key, cert: certs.cert },
    tokens: new Map([[TOKEN, 'admin']]),
    log: () => {},
  })
})
after(async () => {
  await server.close()
  await rm(dir, { recursive: true })
})

const https = () => `https://127.0.0.1:${server.port}`

// Writes a one-context kubeconfig; returns its path.
async function kubeconfig(name: string, cluster: object, user: object): Promise<string> {
  const file = join(dir, name)
  await writeFile(
    file,
    dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  )
  return file
}

const namespaces = async (c: ReturnType<typeof loadKubeConfig>) => {
  try {
    const list = await c.getJson<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces')
    return list.items.map((i) => i.metadata.name).sort()
  } finally {
    c.close()
  }
}

test('a kubeconfig with a relative certificate-authority file and a token lists over verified TLS', async () => {
  const file = await kubeconfig(
    'ca-file',
    { server: https(), 'certificate-authority': 'ca.crt' },
    { token: TOKEN },
  )
  assert.deepEqual(await namespaces(loadKubeConfig({ kubeconfig: file })), [
    'default',
    'kube-node-lease',
    'kube-public',
    'kube-system',
  ])
})

test('without the CA the certificate is refused; insecure-skip-tls-verify accepts it; a wrong token gets 401', async () => {
  const none = await kubeconfig('no-ca', { server: https() }, { token: TOKEN })
  await assert.rejects(
    namespaces(loadKubeConfig({ kubeconfig: none })),
    /self-signed|unable to verify|certificate/,
  )
  const skip = await kubeconfig(
    'skip',
    { server: https(), 'insecure-skip-tls-verify': true },
    { token: TOKEN },
  )
  assert.equal((await namespaces(loadKubeConfig({ kubeconfig: skip }))).length, 4)
  const wrong = await kubeconfig(
    'wrong',
    { server: https(), 'insecure-skip-tls-verify': true },
    { token: 'x' },
  )
  await assert.rejects(namespaces(loadKubeConfig({ kubeconfig: wrong })), /HTTP 401/)
})

test('in-cluster: KUBERNETES_SERVICE_HOST/PORT with the ServiceAccount CA and token', async () => {
  const sa = join(dir, 'sa')
  await mkdir(sa)
  await writeFile(join(sa, 'token'), TOKEN)
  await writeFile(join(sa, 'ca.crt'), await readFile(join(dir, 'ca.crt')))
  const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(server.port) }
  const client = loadKubeConfig({}, { env, home: join(dir, 'no-home'), serviceAccountDir: sa })
  assert.equal(client.getCurrentCluster().server, https())
  assert.equal((await namespaces(client)).length, 4)
})

test('--master with a kubeconfig keeps its user and skips TLS verification', async () => {
  const file = await kubeconfig('master', { server: 'https://192.0.2.1:6443' }, { token: TOKEN })
  const client = loadKubeConfig({ master: https(), kubeconfig: file })
  assert.equal(client.getCurrentCluster().server, https())
  assert.equal((await namespaces(client)).length, 4)
})

test('an exec-plugin user is served by client-node, imported only for it', async () => {
  const credential = JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { token: TOKEN },
  })
  const file = await kubeconfig(
    'exec',
    { server: https(), 'certificate-authority': 'ca.crt' },
    {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'sh',
        args: ['-c', `echo '${credential}'`],
        interactiveMode: 'Never',
      },
    },
  )
  assert.equal((await namespaces(loadKubeConfig({ kubeconfig: file }))).length, 4)
})
