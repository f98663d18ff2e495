// Needs root: a real sync then `cleanup` in a scratch network namespace, on both iptables backends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { run } from '../../exec/run.ts'
import { cleanupRules } from './cleanup.ts'
import { missingJumps } from './jump-rules.ts'
import { parseIptablesSave } from './restore-parse.ts'
import { SystemIptables } from './runner.ts'
import { syncOneNodePortService, testProxier } from '../test-proxier.ts'

const isRoot = process.getuid?.() === 0

for (const backend of ['legacy', 'nft'] as const) {
  test(
    `cleanup leaves no KUBE- chain or jump behind (${backend})`,
    { skip: isRoot ? false : 'needs root (network namespaces, iptables)' },
    async () => {
      const netns = `svcnet-test-cl-${randomBytes(4).toString('hex')}`
      await run('ip', ['netns', 'add', netns])
      try {
        const ipt = new SystemIptables({ netns, binary: `iptables-${backend}` })
        const proxier = testProxier({ nodeName: 'n', iptables: ipt })
        await syncOneNodePortService(proxier)
        const before = (await ipt.save('nat')) + (await ipt.save('filter'))
        assert.match(before, /KUBE-SVC-/)
        assert.deepEqual(
          missingJumps(parseIptablesSave(before)),
          [],
          `${backend}: iptables-save shows every jump as ensured`,
        )
        await cleanupRules(ipt)
        const after = (await ipt.save('nat')) + (await ipt.save('filter')) + (await ipt.save('mangle'))
        assert.ok(!after.includes('KUBE-'), after)
      } finally {
        await run('ip', ['netns', 'delete', netns])
      }
    },
  )
}
