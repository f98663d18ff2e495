import { test } from 'node:test'
import assert from 'node:assert/strict'
import { helpText, parseCommand, UsageError, type CommandSpec } from './command.ts'

const lab: CommandSpec = {
  name: 'svcnet lab up',
  summary: 'Builds a lab cluster.',
  flags: {
    name: { type: 'string', description: 'cluster name', default: 'svcnet' },
    workers: { type: 'number', description: 'worker nodes', default: 2 },
    retain: { type: 'boolean', description: 'keep on failure' },
    file: { type: 'strings', short: 'f', description: 'manifest', value: 'FILE' },
  },
}

test('parses both flag forms, booleans, numbers, repeated flags and defaults', () => {
  const r = parseCommand({ ...lab, args: 'SUB' }, [
    'up',
    '--name=a',
    '--workers',
    '3',
    '--retain',
    '-f',
    'x.yaml',
    '--file=y.yaml',
  ])
  assert.deepEqual(r, {
    flags: { name: 'a', workers: 3, retain: true, file: ['x.yaml', 'y.yaml'] },
    positional: ['up'],
    help: false,
  })
  assert.deepEqual(parseCommand(lab, []).flags, { name: 'svcnet', workers: 2, retain: undefined, file: [] })
  assert.equal(parseCommand(lab, ['--retain=false']).flags.retain, false)
  assert.equal(parseCommand(lab, ['--no-retain']).flags.retain, false)
  assert.equal(parseCommand(lab, ['-h']).help, true)
})

test('every unknown flag, missing value and bad number is reported at once, by name', () => {
  assert.throws(
    () => parseCommand(lab, ['--nmae=a', '--workers', 'two', '--bogus', '--name']),
    (e: unknown) => {
      assert.ok(e instanceof UsageError)
      assert.equal(
        e.message,
        'unknown flag: --nmae\nflag --workers needs a number, got "two"\nunknown flag: --bogus\nflag --name needs a value',
      )
      return true
    },
  )
})

test('a stray argument to a command that takes none is refused, with the flag it probably meant', () => {
  assert.throws(
    () => parseCommand(lab, ['mylab']),
    /^UsageError: unexpected argument "mylab": svcnet lab up takes no arguments \(a name is given as --name mylab\)$/,
  )
  assert.deepEqual(parseCommand({ ...lab, args: 'NAME' }, ['mylab']).positional, ['mylab'])
})

test('go style takes single-dash long flags as upstream binaries do', () => {
  const proxy: CommandSpec = {
    name: 'svcnet proxy',
    summary: 'kube-proxy',
    style: 'go',
    flags: {
      kubeconfig: { type: 'string', description: 'path' },
      v: { type: 'string', description: 'verbosity' },
      'masquerade-all': { type: 'boolean', description: 'SNAT all' },
    },
  }
  const r = parseCommand(proxy, ['-kubeconfig', '/k', '-v=2', '-masquerade-all=true'])
  assert.deepEqual(r.flags, { kubeconfig: '/k', v: '2', 'masquerade-all': true })
  assert.match(helpText(proxy), /^ {2}--kubeconfig VALUE +path$/m)
})

test('--help lists every flag with its value, default and description', () => {
  const text = helpText(lab)
  assert.match(text, /^usage: svcnet lab up \[flags\]$/m)
  assert.match(text, /^ {2}--name VALUE +cluster name \(default svcnet\)$/m)
  assert.match(text, /^ {2}--workers N +worker nodes \(default 2\)$/m)
  assert.match(text, /^ {2}-f, --file FILE +manifest \(repeatable\)$/m)
  assert.match(text, /^ {2}-h, --help +show this help$/m)
})
