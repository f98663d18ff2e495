import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readObjects } from './manifests.ts'

test('objects come from YAML documents and JSON, Lists expanded, scalars as JSON reads them', () => {
  const yaml = `apiVersion: v1
kind: Service
metadata: {name: a, namespace: x}
spec: {clusterIP: 10.96.0.10, ports: [{port: 53, name: "053"}]}
---
kind: List
items:
  - {kind: EndpointSlice, metadata: {name: a-1}}
  - {kind: Pod, metadata: {name: p}}
---
`
  const objs = readObjects(yaml, 'm.yaml')
  assert.deepEqual(
    objs.map((o) => `${o.kind}/${o.metadata?.name}`),
    ['Service/a', 'EndpointSlice/a-1', 'Pod/p'],
  )
  const spec = (objs[0] as { spec: { clusterIP: string; ports: { port: number; name: string }[] } }).spec
  assert.equal(spec.clusterIP, '10.96.0.10')
  assert.deepEqual(spec.ports[0], { port: 53, name: '053' })
  const json = readObjects(
    JSON.stringify({ kind: 'ServiceList', items: [{ kind: 'Service', metadata: { name: 'j' } }] }),
    'x.json',
  )
  assert.deepEqual(
    json.map((o) => o.metadata?.name),
    ['j'],
  )
  assert.deepEqual(
    readObjects('{kind: Node, metadata: {name: n}}', 'flow.yaml').map((o) => o.kind),
    ['Node'],
  )
})

test('a syntax error names the file and the line', () => {
  assert.throws(
    () => readObjects('kind: Service\nmetadata: [\n', 'bad.yaml'),
    /bad\.yaml: invalid YAML: .*\(\d+:\d+\)/s,
  )
})
