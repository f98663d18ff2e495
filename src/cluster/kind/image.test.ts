// The Dockerfile (repository root) builds the image deploy/ runs: lint rules, what it copies, its entrypoint, and the
// tools the proxy starts. The image itself is not built here (no Docker engine on this machine).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { run } from '../../exec/run.ts'
import { parseManifests } from '../../kube/apply.ts'
import { CLI_ENTRY, DEPLOY_DIR, REPO_ROOT } from '../../paths.ts'
import { aptPackages, copySources, entrypoint, lintDockerfile, parseDockerfile } from './dockerfile.ts'
import { DEFAULT_KIND_OPTIONS } from './options.ts'

const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'))

// Every container in deploy/ that runs the svcnet image: its command.
function svcnetContainers(): { source: string; image: string; command: string[] }[] {
  const out: { source: string; image: string; command: string[] }[] = []
  for (const file of ['kube-proxy.yaml', 'dns.yaml']) {
    const path = join(DEPLOY_DIR, file)
    for (const m of parseManifests(readFileSync(path, 'utf8'), path)) {
      const spec = (
        m.object as {
          spec?: { template?: { spec?: { containers?: { image: string; command?: string[] }[] } } }
        }
      ).spec?.template?.spec
      for (const c of spec?.containers ?? []) {
        if (c.image.startsWith('svcnet/svcnet:'))
          out.push({ source: m.source, image: c.image, command: c.command ?? [] })
      }
    }
  }
  return out
}

test('the linter catches what it is for (so a clean result means something)', () => {
  const bad = parseDockerfile(
    'FROM node\nRUN apt-get update && apt-get install curl\nRUN cd /x && make\nADD . /app\nENTRYPOINT svcnet\n',
  )
  const problems = lintDockerfile(bad)
  for (const want of [
    'has no tag',
    '--no-install-recommends',
    'apt lists',
    'without -y',
    'WORKDIR',
    'ADD',
    'shell form',
  ]) {
    assert.ok(
      problems.some((p) => p.includes(want)),
      `expected a problem about ${want}: ${problems.join('; ')}`,
    )
  }
})

test('the Dockerfile passes the lint rules', () => {
  assert.deepEqual(lintDockerfile(dockerfile), [])
})

test('continuation lines join into one instruction, on the line it starts', () => {
  const [a, b] = parseDockerfile('# c\nRUN a \\\n    && b \\\n    # comment\n    && c\nCMD ["x"]\n')
  assert.deepEqual(a, { keyword: 'RUN', args: 'a && b && c', line: 2 })
  assert.equal(b?.keyword, 'CMD')
})

test('every manifest running the svcnet image names the image the kind provider builds, and the entrypoint command', () => {
  const containers = svcnetContainers()
  assert.ok(containers.length >= 2, 'kube-proxy and DNS run the svcnet image')
  const ep = entrypoint(dockerfile)
  assert.deepEqual(ep, ['svcnet'])
  for (const c of containers) {
    assert.equal(c.image, DEFAULT_KIND_OPTIONS.image, c.source)
    assert.equal(c.command[0], ep![0], `${c.source}: command runs the entrypoint`)
  }
})

test('the image puts `svcnet` on PATH, running the CLI entry the image copies', () => {
  const runs = dockerfile.filter((x) => x.keyword === 'RUN').map((x) => x.args)
  const launcher = runs.find((r) => r.includes('/usr/local/bin/svcnet'))
  assert.ok(launcher, 'a RUN writes /usr/local/bin/svcnet')
  const workdir = dockerfile.find((x) => x.keyword === 'WORKDIR')!.args
  const entry = `${workdir}/${CLI_ENTRY.slice(REPO_ROOT.length + 1)}`
  assert.ok(launcher.includes(`exec node ${entry}`), `the launcher runs ${entry}`)
  assert.match(launcher, /chmod 0?755 \/usr\/local\/bin\/svcnet/)
})

test('the image copies what its sub-commands need: the sources, the lock file, and deploy/', () => {
  const sources = copySources(dockerfile)
  for (const need of ['package.json', 'package-lock.json', 'src/', 'deploy/']) {
    assert.ok(sources.includes(need), `COPY ${need}`)
    assert.ok(existsSync(join(REPO_ROOT, need)), `${need} exists in the repository`)
  }
  const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
  for (const need of sources)
    assert.ok(!ignored.includes(need.replace(/\/$/, '')), `.dockerignore keeps ${need}`)
  for (const heavy of ['node_modules', '.git', 'reports'])
    assert.ok(ignored.includes(heavy), `.dockerignore drops ${heavy}`)
})

test('the tools the proxy starts come from the packages the image installs', () => {
  const pkgs = aptPackages(dockerfile)
  // binary the proxy runs → the Debian package that ships it
  const needs: Record<string, string> = {
    iptables: 'iptables',
    'iptables-legacy': 'iptables',
    nft: 'nftables',
    ip: 'iproute2',
    conntrack: 'conntrack',
  }
  for (const [binary, pkg] of Object.entries(needs))
    assert.ok(pkgs.includes(pkg), `${binary} needs apt package ${pkg}`)
})

test('the base image is a Node the project supports (package.json engines)', () => {
  const from = dockerfile.find((x) => x.keyword === 'FROM')!.args
  const major = Number(/^node:(\d+)/.exec(from)?.[1])
  const engines = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
  ).engines.node
  const floor = Number(/>=\s*(\d+)/.exec(engines)?.[1])
  assert.ok(major >= floor, `FROM ${from} vs engines ${engines}`)
})

test('the sub-commands the manifests run exist in this CLI (`--help` exits 0)', async () => {
  for (const c of svcnetContainers()) {
    const sub = c.command.slice(1)
    const r = await run(process.execPath, [CLI_ENTRY, ...sub, '--help'], { allowFailure: true })
    assert.equal(r.exitCode, 0, `svcnet ${sub.join(' ')} --help: ${r.stderr}`)
  }
})
