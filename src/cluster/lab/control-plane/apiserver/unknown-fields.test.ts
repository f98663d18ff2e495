import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { StatusError } from './status-error.ts'
import { checkFieldValidation, strictDecodingMessage, unknownFields } from './unknown-fields.ts'

test('unknown fields are found at any depth, lists and maps included; known ones pass', () => {
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { anything: 'goes' }, colour: 'red' },
    spec: {
      selector: { app: 'web' },
      ports: [
        { port: 80, targetPort: 'http' },
        { port: 81, prot: 'TCP' },
      ],
      typo: 1,
    },
  }
  assert.deepEqual(unknownFields('v1', 'Service', svc), [
    'metadata.colour',
    'spec.ports[1].prot',
    'spec.typo',
  ])
  const deploy = {
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'w', image: 'x', imagePullPolicy: 'Always', bogus: true }] },
      },
    },
  }
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', deploy), ['spec.template.spec.containers[0].bogus'])
  assert.deepEqual(unknownFields('v1', 'NoSuchKind', { x: 1 }), [])
})

test('the message is the one kubectl shows from a real API server', () => {
  assert.equal(
    strictDecodingMessage('Service', 'v1', ['spec.typo', 'spec.ports[1].prot']),
    'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.typo", unknown field "spec.ports[1].prot"',
  )
})

test('fieldValidation: Strict refuses, Warn (the default) warns, Ignore ignores; a patch answers only for what it adds', () => {
  const warnings: string[] = []
  const res = { appendHeader: (_name: string, value: string) => warnings.push(value) }
  const svc = { kind: 'Service', spec: { typo: 1 } }
  assert.throws(
    () => checkFieldValidation(res, 'v1', svc, 'Service', 'Strict'),
    (err: StatusError) =>
      err.code === 400 && /strict decoding error: unknown field "spec.typo"/.test(err.message),
  )
  checkFieldValidation(res, 'v1', svc, 'Service', undefined)
  checkFieldValidation(res, 'v1', svc, 'Service', 'Ignore')
  assert.deepEqual(warnings, ['299 - "unknown field \\"spec.typo\\""'])
  checkFieldValidation(res, 'v1', { ...svc, metadata: { name: 'x' } }, 'Service', 'Strict', svc)
  assert.throws(
    () => checkFieldValidation(res, 'v1', svc, 'Service', 'Sometimes'),
    /fieldValidation must be one of/,
  )
})
