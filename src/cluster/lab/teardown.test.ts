import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FoundLab } from './discovery.ts'
import { reapRefusal } from './teardown.ts'

const lab = (over: Partial<FoundLab>): FoundLab => ({
  cluster: 'c',
  runId: 'abcd',
  namespaces: ['svcnet-c-abcd-switch'],
  daemonAlive: false,
  daemonPids: [],
  runDir: '/run/svcnet/c-abcd',
  ...over,
})

test('lab down --all reaps only labs with no daemon, no live lab up, older than the grace period', () => {
  const now = 1_000_000
  assert.equal(reapRefusal(lab({ createdAt: now - 60_000 }), now, 30_000), undefined)
  assert.match(
    reapRefusal(lab({ daemonAlive: true, daemonPids: [7], createdAt: 0 }), now, 30_000)!,
    /daemon runs \(pid 7\)/,
  )
  assert.match(
    reapRefusal(lab({ ownerPid: 9, createdAt: 0 }), now, 30_000)!,
    /lab up \(pid 9\) is still building it/,
  )
  assert.match(reapRefusal(lab({ createdAt: now - 5_000 }), now, 30_000)!, /begun 5s ago \(grace 30s\)/)
  assert.match(reapRefusal(lab({}), now, 30_000)!, /age is unknown/)
})
