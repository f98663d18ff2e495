import { test } from 'node:test'
import assert from 'node:assert/strict'
import { commandName, readProcessMemory, smapsField, statCpuSeconds } from './process-memory.ts'

test('smaps_rollup fields are read as MB and the stat CPU fields as seconds', () => {
  assert.equal(smapsField('Rss:              102400 kB\nPss:               51200 kB\n', 'Pss'), 50)
  assert.throws(() => smapsField('Rss: 1 kB\n', 'Pss'), /no Pss line/)
  // pid (comm with ") " inside) state ppid … utime=150 stime=50 (fields 14 and 15)
  const stat = '42 (node a) b) S 1 42 42 0 -1 4194560 100 0 0 0 150 50 30 20 20 0 7 0 1 1 1'
  assert.deepEqual(statCpuSeconds(stat), { own: 2, children: 0.5 })
})

test('a process is named by its svcnet subcommand', () => {
  const node = ['/x/node', '--max-semi-space-size=1', '/repo/src/cli/main.ts']
  assert.equal(commandName([...node, 'proxy', '--hostname-override=n1']), 'svcnet proxy')
  assert.equal(commandName([...node, 'dns', 'serve', '--master=https://a']), 'svcnet dns serve')
  assert.equal(commandName([...node, 'lab', 'serve', '--cluster', 'x']), 'svcnet lab serve')
  assert.equal(commandName(['iptables-restore', '-w']), 'iptables-restore -w')
})

test('this process reads back with a PSS no larger than its RSS; a gone pid is undefined', async () => {
  const me = await readProcessMemory(process.pid)
  assert.ok(me && me.pssMb > 0 && me.pssMb <= me.rssMb && me.cpuSeconds > 0, JSON.stringify(me))
  assert.equal(await readProcessMemory(2 ** 22 + 1), undefined)
})
