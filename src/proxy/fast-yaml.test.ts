import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { JSON_SCHEMA, load } from 'js-yaml'
import { stringify } from 'yaml'
import { benchService, benchSlice } from '../../bench/proxy/objects.ts'
import { parseSimpleYaml, splitYamlStream } from './fast-yaml.ts'
import { readManifests } from './manifests.ts'
import { readObjects } from '../kube/manifests.ts'

// js-yaml's reading of one document (the reference).
const reference = (doc: string): unknown => load(doc, { schema: JSON_SCHEMA })

// Checks one document: the fast reader either gives up or agrees with js-yaml; returns whether it answered.
function agrees(doc: string, where: string): boolean {
  const fast = parseSimpleYaml(doc)
  if (fast === undefined) return false
  assert.deepEqual(fast, reference(doc), `${where}:\n${doc}`)
  return true
}

test('the fast reader agrees with js-yaml wherever it answers: the repository manifests and the bench objects', () => {
  let answered = 0
  const files = ['deploy/dns.yaml', 'deploy/kube-proxy.yaml', 'src/dns/testdata/cluster.yaml']
  for (const f of files) {
    for (const d of splitYamlStream(readFileSync(f, 'utf8')) ?? []) {
      if (d.text.trim()) agrees(d.text, `${f} line ${d.line + 1}`)
    }
  }
  for (let i = 0; i < 50; i++) {
    for (const o of [benchService(i), benchSlice(i)])
      if (agrees(stringify(o), `bench object ${i}`)) answered++
  }
  assert.equal(answered, 100, 'every bench document is plain block YAML: the fast reader answers them all')
})

test('scalars: typed exactly as js-yaml types them, strings stay strings', () => {
  const doc = [
    'a: 10.96.0.10',
    'b: 80',
    'c: -1.5e3',
    'd: 5.',
    'e: "80"',
    "f: 'it''s'",
    'g: null',
    'h: ~',
    'i: True',
    'j: true',
    'k: 0x1f',
    'l: 01',
    'm: hello world',
    'n:',
    'o: {}',
    'p: []',
    'q: "tab\\there"',
    'r: -foo',
    's: .5',
    '"quoted key": 1',
    'kubernetes.io/service-name: web',
  ].join('\n')
  assert.equal(agrees(doc, 'scalars'), true)
})

test('structures: nested mappings, indented and indentless sequences, "- key:" items, nested sequences', () => {
  const doc = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  ports:
  - name: http
    port: 80
  -   name: https
      port: 443
  clusterIPs:
    - 10.96.0.1
    - fd00::1
  matrix:
  - - 1
    - 2
  -
    - 3
  empty:
  # a comment line

  last: x
`
  assert.equal(agrees(doc, 'structures'), true)
})

test('what the fast reader leaves to js-yaml: anchors, tags, flow collections, block scalars, comments after values', () => {
  for (const doc of [
    'a: &x 1\nb: *x',
    'a: !!str 5',
    'a: [1, 2]',
    'a: {b: 1}',
    'a: |\n  text',
    'a: >\n  text',
    'a: 1 # note',
    'a: b: c',
    'a:\n  b\n  c',
    'a: 1\na: 2',
    '? complex\n: key',
    'a: "\\x41"',
    'plain scalar document',
    '<<: {a: 1}',
    '1.0: x',
  ])
    assert.equal(parseSimpleYaml(doc), undefined, doc)
})

test('readManifests: the same objects as js-yaml for a mixed stream; other kinds are skipped; errors name the line', () => {
  const stream = [
    stringify(benchService(1)),
    'kind: ConfigMap\ndata: {a: [unclosed\n',
    JSON.stringify(benchSlice(1)) + '\n',
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n',
    'kind: Service\nmetadata: &m\n  name: anchored\nspec: {clusterIP: 10.96.0.9}\n',
  ].join('---\n')
  const m = readManifests(stream, 'mixed.yaml')
  const want = readObjects(stream.replace('data: {a: [unclosed', 'data: {}'), 'mixed.yaml')
  assert.deepEqual(
    [...m.services, ...m.slices, ...m.nodes].map((o) => o.metadata?.name).sort(),
    want
      .filter((o) => o.kind !== 'ConfigMap')
      .map((o) => o.metadata?.name)
      .sort(),
  )
  assert.deepEqual(m.services[0], benchService(1))
  assert.deepEqual(m.slices[0], benchSlice(1))
  // A document js-yaml reads on its own still reports the line in the file, as reading the whole stream would.
  const bad = 'kind: Service\nmetadata: {name: a}\n---\nkind: Service\nspec: [unclosed\n'
  const whole = (() => {
    try {
      readObjects(bad, 'bad.yaml')
    } catch (err) {
      return /\(\d+:\d+\)/.exec((err as Error).message)?.[0]
    }
  })()
  assert.ok(whole)
  assert.throws(
    () => readManifests(bad, 'bad.yaml'),
    (err: Error) => err.message.includes(`bad.yaml`) && err.message.includes(whole),
  )
})
