// The nc script for UDP requests, and reading its output back into one outcome per request.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseUdpBatch, udpBatchScript } from './udp-client.ts'

const target = { ip: '10.96.0.20', port: 90 }

test('requests go out at once, each from its own socket, and the script waits for all', () => {
  const script = udpBatchScript(target, 2)
  assert.equal((script.match(/echo hostname \| nc -u -w 1 10\.96\.0\.20 90/g) ?? []).length, 2)
  assert.match(script, /\) & \(.*\) & wait$/)
})

test('a fixed source port sends one request after the other from that port', () => {
  const script = udpBatchScript(target, 2, 12345)
  assert.match(script, /nc -u -w 1 -p 12345 10\.96\.0\.20 90/)
  assert.doesNotMatch(script, /\) &|wait/)
})

test('answers, silence and nc errors become one outcome per request, in order', () => {
  const out = [
    '__svcnet_udp__ 1 0 ',
    '__svcnet_udp__ 0 0 udp-server-1',
    '__svcnet_udp__ 2 1 nc: read failed (Connection refused)',
  ].join('\n')
  const [a, b, c] = parseUdpBatch(target, 3, out)
  assert.deepEqual(a, { url: 'udp://10.96.0.20:90', curlExit: 0, status: 0, body: 'udp-server-1', error: '' })
  assert.equal(b?.curlExit, 28)
  assert.equal(b?.error, 'no UDP answer')
  assert.equal(c?.curlExit, 1)
  assert.equal(c?.error, 'nc: read failed (Connection refused)')
})

test('a request without a result line is an error that shows the output', () => {
  assert.throws(
    () => parseUdpBatch(target, 2, '__svcnet_udp__ 0 0 a\nsh: nc: not found'),
    /requests 1 .*nc: not found/s,
  )
})
