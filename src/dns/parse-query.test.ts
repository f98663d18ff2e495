import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseQuery } from './parse-query.ts'

test('parseQuery splits the shapes CoreDNS parses', () => {
  const cases: [string, unknown][] = [
    ['', { shape: 'empty' }],
    ['svc', { shape: 'empty' }],
    ['pod', { shape: 'empty' }],
    ['ns1.svc', { shape: 'namespace', kind: 'svc', namespace: 'ns1' }],
    ['a.ns1.svc', { shape: 'object', kind: 'svc', namespace: 'ns1', service: 'a' }],
    ['ep.a.ns1.svc', { shape: 'object', kind: 'svc', namespace: 'ns1', service: 'a', endpoint: 'ep' }],
    [
      '_http._tcp.a.ns1.svc',
      { shape: 'object', kind: 'svc', namespace: 'ns1', service: 'a', port: 'http', protocol: 'tcp' },
    ],
    [
      'http.tcp.a.ns1.svc',
      { shape: 'object', kind: 'svc', namespace: 'ns1', service: 'a', port: 'http', protocol: 'tcp' },
    ],
    ['1-2-3-4.ns1.pod', { shape: 'object', kind: 'pod', namespace: 'ns1', service: '1-2-3-4' }],
  ]
  for (const [base, want] of cases) assert.deepEqual(parseQuery(base), want, base)
  assert.equal(parseQuery('foo').shape, 'invalid')
  assert.equal(parseQuery('dns-version').shape, 'invalid')
  assert.equal(parseQuery('a.b.c.svc1.ns1.svc').shape, 'invalid')
})
