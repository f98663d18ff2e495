// Service ports read from a feature's table.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { servicePortsFromTable } from './service-ports.ts'

test('named ports with number and name targets', () => {
  assert.deepEqual(
    servicePortsFromTable([
      { name: 'http', port: '80', 'target port': '8080' },
      { name: 'admin', port: '81', 'target port': 'http', protocol: 'udp' },
    ]),
    [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'admin', port: 81, protocol: 'UDP', targetPort: 'http' },
    ],
  )
})

test('every problem is reported at once', () => {
  assert.throws(
    () => servicePortsFromTable([{ name: 'x', port: 'eighty', protocol: 'ICMP', colour: 'red' }]),
    /unknown columns colour.*row 1: port "eighty" is not a number; row 1: protocol "ICMP" is not TCP, UDP or SCTP/,
  )
})
