import { test } from 'node:test'
import assert from 'node:assert/strict'
import { batchScript, runBatch } from './command-batch.ts'

test('a batch runs its commands in order and reports the first that fails, with its stderr', async () => {
  assert.equal(await runBatch([['true'], ['sh', '-c', 'exit 0']]), undefined)
  const failed = await runBatch([['true'], ['sh', '-c', "echo 'no such device' >&2; exit 3"], ['false']])
  assert.equal(failed?.index, 1)
  assert.equal(failed?.error.exitCode, 3)
  assert.match(
    failed!.error.message,
    /^exited 3: sh -c 'echo '\\''no such device'\\'' >&2; exit 3'\nno such device$/,
  )
})

test('arguments reach the commands unchanged (quoted for the shell)', async () => {
  const odd = 'it\'s $HOME; `x` "y"'
  const failed = await runBatch([
    ['sh', '-c', 'test "$0" = "$1" || { echo "got: $0" >&2; exit 1; }', odd, odd],
  ])
  assert.equal(failed, undefined)
  assert.match(batchScript([['ip', 'link']]), /^set -e\necho 0\nip link >&2$/)
})
