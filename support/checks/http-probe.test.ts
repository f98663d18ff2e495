// Reading curl's per-request reports back, for single and batched requests.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { answeredBy, curlBatchArgv, parseCurlBatch } from './http-probe.ts'

test('a batch asks for a new connection per request and a report line after each', () => {
  const argv = curlBatchArgv(['http://10.96.0.20/?0', 'http://10.96.0.20/?1'])
  assert.deepEqual(argv.slice(0, 6), ['curl', '-sS', '--max-time', '3', '-H', 'Connection: close'])
  assert.deepEqual(argv.slice(-2), ['http://10.96.0.20/?0', 'http://10.96.0.20/?1'])
  assert.match(argv[7]!, /%\{exitcode\} %\{http_code\} %\{errormsg\}/)
})

test('bodies and outcomes are split per request, failures included', () => {
  const urls = ['http://a/', 'http://b/', 'http://c/']
  const out =
    'Hello, world!\nHostname: web-1\n' +
    '\n__svcnet_request__=0 200 \n' +
    "\n__svcnet_request__=7 000 Failed to connect to 10.96.0.20 port 80 after 0 ms: Couldn't connect to server\n" +
    'Hello, world!\nHostname: web-2' +
    '\n__svcnet_request__=0 200 \n'
  const probes = parseCurlBatch(urls, out)
  assert.deepEqual(
    probes.map((p) => [p.url, p.curlExit, p.status, p.body.trim()]),
    [
      ['http://a/', 0, 200, 'Hello, world!\nHostname: web-1'],
      ['http://b/', 7, 0, ''],
      ['http://c/', 0, 200, 'Hello, world!\nHostname: web-2'],
    ],
  )
  assert.match(probes[1]!.error, /^curl: \(7\) Failed to connect/)
  assert.equal(probes[0]!.error, '')
})

test('a report with fewer requests than asked is an error that shows the output', () => {
  assert.throws(
    () => parseCurlBatch(['http://a/', 'http://b/'], 'x\n__svcnet_request__=0 200 \n'),
    /reported 1 of 2/,
  )
})

test('who answered: the Hostname line of an HTTP body, or a one-word UDP answer', () => {
  const probe = (url: string, body: string) => ({ url, curlExit: 0, status: 0, body, error: '' })
  assert.equal(answeredBy(probe('http://10.96.0.5/', 'Hello\nHostname: web-1\n')), 'web-1')
  assert.equal(
    answeredBy(probe('http://10.96.0.5/', 'web-1')),
    undefined,
    'an HTTP body names no pod by itself',
  )
  assert.equal(answeredBy(probe('udp://10.96.0.5:90', 'udp-7c9-x2')), 'udp-7c9-x2')
  assert.equal(answeredBy(probe('udp://10.96.0.5:90', '')), undefined, 'no UDP answer')
  assert.equal(answeredBy(probe('udp://10.96.0.5:90', 'two words')), undefined)
})
