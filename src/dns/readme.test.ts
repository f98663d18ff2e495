// Runs the `svcnet dns query` examples of README.md and compares their output with what the README shows.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCommand } from '../flags/command.ts'
import { REPO_ROOT } from '../paths.ts'
import { QUERY_COMMAND, runQuery } from './query-command.ts'

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8')
const examples = [...readme.matchAll(/```console\n\$ svcnet dns query (.*)\n([\s\S]*?)```/g)]

test('README has dns query examples', () => assert.ok(examples.length >= 3, `${examples.length} examples`))

for (const [, command, expected] of examples) {
  test(`README example: svcnet dns query ${command}`, async () => {
    const args = command!.split(' ').map((a) => (a.startsWith('src/') ? join(REPO_ROOT, a) : a))
    let out = ''
    assert.equal(await runQuery(parseCommand(QUERY_COMMAND, args), (s) => (out += s)), 0)
    assert.equal(out, expected)
  })
}
