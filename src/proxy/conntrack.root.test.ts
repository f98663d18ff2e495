// Needs root: deletes real conntrack entries inside a network namespace this test creates.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { run } from '../exec/run.ts'
import { SystemConntrack } from './conntrack.ts'

const isRoot = process.getuid?.() === 0

test(
  'SystemConntrack deletes matching UDP entries and treats "nothing matched" as zero, not an error',
  { skip: isRoot ? false : 'needs root (network namespaces, conntrack)' },
  async () => {
    const netns = `svcnet-test-ct-${randomBytes(4).toString('hex')}`
    await run('ip', ['netns', 'add', netns])
    try {
      // A UDP flow as a DNS query through the kube-dns service IP would leave it.
      await run(
        'conntrack',
        [
          '-I',
          '-p',
          'udp',
          '-s',
          '10.0.0.1',
          '-d',
          '10.96.0.10',
          '--sport',
          '1234',
          '--dport',
          '53',
          '-r',
          '10.244.1.5',
          '-q',
          '10.0.0.1',
          '--reply-port-src',
          '53',
          '--reply-port-dst',
          '1234',
          '-t',
          '100',
        ],
        { netns },
      )
      const ct = new SystemConntrack({ netns })
      assert.equal(await ct.deleteEntries(['--orig-dst', '10.96.0.11', '-p', 'udp']), 0)
      assert.equal(await ct.deleteEntries(['--orig-dst', '10.96.0.10', '-p', 'udp']), 1)
      const left = await run('conntrack', ['-L', '-p', 'udp'], { netns })
      assert.ok(!left.stdout.includes('10.96.0.10'), left.stdout)
    } finally {
      await run('ip', ['netns', 'delete', netns])
    }
  },
)
