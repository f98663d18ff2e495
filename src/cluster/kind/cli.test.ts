// `svcnet kind plan|up|down`, run in child processes (the commands write to stdout and install signal handlers), with
// fake kind/docker on PATH for up and down.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from '../../exec/run.ts'
import { writeFakeTools } from './fake-kind.ts'

let dir: string
const here = import.meta.dirname

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcnet-kind-cli-test-'))
  await writeFakeTools(dir)
})

after(async () => {
  await rm(dir, { recursive: true, force: true })
})

// Runs `svcnet kind …` in a child; `prelude` runs first (e.g. starting the fake cluster API).
async function svcnetKind(args: string[], prelude = '') {
  const script = join(dir, `cli-${Math.random().toString(36).slice(2)}.ts`)
  await writeFile(
    script,
    [
      `import { kindCommand } from '${join(here, 'cli.ts')}'`,
      `import { startFakeKindApi } from '${join(here, 'fake-kind.ts')}'`,
      prelude,
      `process.exitCode = await kindCommand(${JSON.stringify(args)})`,
      `process.exit()`,
    ].join('\n'),
  )
  return run(process.execPath, [script], {
    allowFailure: true,
    env: { FAKE_DIR: dir, PATH: `${dir}:${process.env.PATH}` },
    timeoutMs: 30_000,
  })
}

test('plan prints the commands and the config, runs nothing', async () => {
  const r = await svcnetKind([
    'plan',
    '--kind-name',
    'ci',
    '--proxy',
    'upstream',
    '--dns',
    'coredns',
    '--workers',
    '1',
  ])
  assert.equal(r.exitCode, 0, r.stderr)
  assert.match(r.stdout, /kind create cluster --name ci --config - <<config/)
  assert.match(r.stdout, /1 worker, kube-proxy iptables/)
  assert.match(r.stdout, /kubeProxyMode: iptables/)
  assert.doesNotMatch(r.stdout, /docker build/, 'nothing of svcnet to build with upstream proxy and CoreDNS')
  assert.equal((await readFile(join(dir, 'calls'), 'utf8')).trim(), '', 'no kind or docker call')
})

test('bad options: exit 2 with every problem and the help', async () => {
  const r = await svcnetKind(['plan', '--workers', '-1', '--proxy', 'ipvs'])
  assert.equal(r.exitCode, 2)
  assert.match(r.stderr, /workers must be 0 to 10, got -1/)
  assert.match(r.stderr, /proxy must be svcnet or upstream, got "ipvs"/)
  assert.match(r.stderr, /usage: svcnet kind plan/)
})

test('--help works for every subcommand', async () => {
  for (const sub of ['plan', 'up', 'down']) {
    const r = await svcnetKind([sub, '--help'])
    assert.equal(r.exitCode, 0, sub)
    assert.match(r.stdout, new RegExp(`usage: svcnet kind ${sub}`))
  }
})

test('up makes a kept cluster and prints how to run the suite on it; down deletes it', async () => {
  await writeFakeTools(dir)
  const up = await svcnetKind(['up', '--kind-name', 'c3'], `await startFakeKindApi('${dir}', 'c3')`)
  assert.equal(up.exitCode, 0, up.stderr)
  assert.equal(up.stdout, 'SVCNET_PROVIDER=kind SVCNET_KIND_REUSE=c3\n')
  assert.match(up.stderr, /keeping kind cluster c3/)
  assert.equal((await readFile(join(dir, 'clusters'), 'utf8')).trim(), 'c3')
  const down = await svcnetKind(['down', '--kind-name', 'c3'])
  assert.equal(down.exitCode, 0, down.stderr)
  assert.equal((await readFile(join(dir, 'clusters'), 'utf8')).trim(), '')
  assert.equal(
    (await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n').at(-1),
    'kind delete cluster --name c3',
  )
})
