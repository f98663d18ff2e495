// Needs root: backend detection in fresh network namespaces where one backend holds rules.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { run } from '../../exec/run.ts'
import { detectBackend } from './backend.ts'

const isRoot = process.getuid?.() === 0

test(
  'detectBackend picks the backend that holds the rules of the namespace',
  { skip: isRoot ? false : 'needs root (network namespaces, iptables)' },
  async () => {
    const netns = `svcnet-test-be-${randomBytes(4).toString('hex')}`
    await run('ip', ['netns', 'add', netns])
    try {
      assert.equal((await detectBackend(netns)).backend, 'nft', 'empty namespace: nft on a tie')
      for (let i = 0; i < 3; i++)
        await run('iptables-legacy', ['-w', '5', '-A', 'INPUT', '-s', `10.9.9.${i}`, '-j', 'ACCEPT'], {
          netns,
        })
      assert.deepEqual(await detectBackend(netns), {
        backend: 'legacy',
        reason: '3 legacy rules > 0 nft rules',
      })
      await run('iptables-nft', ['-w', '5', '-t', 'mangle', '-N', 'KUBE-IPTABLES-HINT'], { netns })
      assert.equal((await detectBackend(netns)).backend, 'nft', 'the hint chain wins')
    } finally {
      await run('ip', ['netns', 'delete', netns])
    }
  },
)
