import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ownerAlive, readOwner, startTicksOf, writeOwner } from './owner.ts'

test('the start time is read past a command name holding spaces and parens', () => {
  const line = '4242 (node (lab) up) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 7 0 987654 1000 200'
  assert.equal(startTicksOf(line), 987654)
  assert.equal(startTicksOf('garbage'), undefined)
})

test('an owner record names this process, alive; a reused pid with another start time is not it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-owner-'))
  try {
    assert.equal(await readOwner(dir), undefined)
    const owner = await writeOwner(dir, 1234)
    assert.deepEqual(await readOwner(dir), owner)
    assert.equal(owner.pid, process.pid)
    assert.equal(owner.createdAt, 1234)
    assert.equal((await stat(join(dir, 'owner.json'))).mode & 0o777, 0o600)
    assert.equal(await ownerAlive(owner), true)
    assert.equal(await ownerAlive({ ...owner, startTicks: owner.startTicks + 1 }), false)
    assert.equal(await ownerAlive({ ...owner, pid: 2 ** 22 + 1 }), false)
    assert.match(await readFile(join(dir, 'owner.json'), 'utf8'), /"pid":/)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
