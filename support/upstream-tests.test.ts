// Every @upstream tag in the features names a known upstream test, and its link points at that test's source file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { UPSTREAM_TESTS, upstreamLink } from './upstream-tests.ts'

const features = join(import.meta.dirname, '..', 'features')

test('every @upstream tag in features/ is a known upstream test', () => {
  const tags = readdirSync(features)
    .filter((f) => f.endsWith('.feature'))
    .flatMap((f) => readFileSync(join(features, f), 'utf8').match(/@upstream:\S+/g) ?? [])
  assert.ok(tags.length >= 3, `found only ${tags.length} @upstream tags`)
  const unknown = tags.filter((t) => !(t.replace('@upstream:', '') in UPSTREAM_TESTS))
  assert.deepEqual(unknown, [])
})

test('a link names the test and points at its source file, not a search', () => {
  assert.deepEqual(upstreamLink('@upstream:Services-should-prevent-NodePort-collisions'), {
    name: '[sig-network] Services should prevent NodePort collisions (service.go)',
    url: 'https://github.com/kubernetes/kubernetes/blob/master/test/e2e/network/service.go',
  })
  assert.match(
    upstreamLink('@upstream:Pods-should-contain-environment-variables-for-services').url,
    /test\/e2e\/common\/node\/pods\.go$/,
  )
})

test('an unknown slug says where to add it', () => {
  assert.throws(() => upstreamLink('@upstream:No-such-test'), /add it to UPSTREAM_TESTS/)
})

test('slugs are the names with dashes, so a tag reads like the test', () => {
  for (const [slug, t] of Object.entries(UPSTREAM_TESTS)) {
    const words = slug.split('-').filter((w) => w.length > 3)
    const missing = words.filter((w) => !t.name.includes(w))
    assert.deepEqual(missing, [], `slug ${slug} has words not in "${t.name}"`)
  }
})
