import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from '../../../../exec/run.ts'
import { renderKubeconfig } from '../../../../kube/kubeconfig.ts'
import { MemoryStore } from './memory-store.ts'
import { startApiServer } from './server.ts'
import { KUBERNETES_SERVICE_NAMES, makeServingCerts, writePrivateFile } from './serving-certs.ts'

const isRoot = process.getuid?.() === 0

test(
  'another local user (nobody) gets 401, cannot create a pod, and cannot read the kubeconfig or reach the socket',
  { skip: !isRoot && 'needs root to run commands as nobody (runuser)' },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svcnet-nobody-'))
    await chmod(dir, 0o700)
    const certs = await makeServingCerts({ dir, ips: ['127.0.0.1'], dnsNames: KUBERNETES_SERVICE_NAMES })
    const token = 'root-only-token-0123456789abcdef'
    const store = new MemoryStore()
    const socket = join(dir, 'apiserver.sock')
    const server = await startApiServer({
      store,
      tls: { key: certs.key, cert: certs.cert },
      tokens: new Map([[token, 'svcnet:admin']]),
      unixSocket: socket,
    })
    const asNobody = (...argv: string[]) =>
      run('runuser', ['-u', 'nobody', '--', ...argv], { allowFailure: true, timeoutMs: 20000 })
    try {
      const kubeconfig = join(dir, 'kubeconfig')
      await writePrivateFile(
        kubeconfig,
        renderKubeconfig('nobody', server.url, { token, caCert: certs.caCert }),
      )
      const pod = JSON.stringify({
        metadata: { name: 'evil' },
        spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'id > /tmp/owned'] }] },
      })
      const create = await asNobody(
        'curl',
        '-sk',
        '-o',
        '-',
        '-w',
        '\n%{http_code}',
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '-d',
        pod,
        `${server.url}/api/v1/namespaces/default/pods`,
      )
      assert.match(create.stdout, /"reason":"Unauthorized"[\s\S]*\n401$/, create.stderr)
      const guessed = await asNobody(
        'curl',
        '-sk',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-H',
        'Authorization: Bearer guess-0123456789abcdef',
        `${server.url}/api/v1/pods`,
      )
      assert.equal(guessed.stdout, '401')
      assert.equal(store.get('pods', 'default', 'evil'), undefined, 'no pod was created')
      const read = await asNobody('cat', kubeconfig)
      assert.notEqual(read.exitCode, 0, 'nobody cannot read the kubeconfig')
      assert.match(read.stderr, /Permission denied/)
      const viaSocket = await asNobody('curl', '-s', '--unix-socket', socket, 'http://lab/api/v1/pods')
      assert.notEqual(viaSocket.exitCode, 0, `nobody cannot reach the unix socket: ${viaSocket.stdout}`)
      const root = await run('curl', [
        '-s',
        '--cacert',
        join(dir, 'ca.crt'),
        '-H',
        `Authorization: Bearer ${token}`,
        `${server.url}/api/v1/pods`,
      ])
      assert.match(root.stdout, /"kind":"PodList"/, 'the token holder gets in, verifying the lab CA')
    } finally {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  },
)
