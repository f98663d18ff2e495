import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { containerStartArgv } from './pod-exec.ts'
import { writeServiceAccountFiles } from './service-account-files.ts'

test('a pod gets token, ca.crt and namespace, mounted read-only at the standard path before its program starts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-sa-'))
  try {
    const sa = await writeServiceAccountFiles(dir, 'kube-system', { token: 'tok', caCert: 'PEM' })
    assert.equal(sa, join(dir, 'serviceaccount'))
    const read = (f: string) => readFile(join(sa, f), 'utf8')
    assert.deepEqual(
      [await read('token'), await read('ca.crt'), await read('namespace')],
      ['tok', 'PEM', 'kube-system'],
    )
    const argv = containerStartArgv('web-1', ['node', 'x'], sa)
    assert.deepEqual(argv.slice(0, 5), ['unshare', '--uts', '--', 'sh', '-c'])
    assert.equal(
      argv[5],
      'hostname "$0" && mkdir -p /var/run/secrets/kubernetes.io/serviceaccount && mount --bind -o ro "$1" /var/run/secrets/kubernetes.io/serviceaccount && shift && exec "$@"',
    )
    assert.deepEqual(argv.slice(6), ['web-1', sa, 'node', 'x'])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
