import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ApiException } from '@kubernetes/client-node'
import { apiMessage, apiStatus } from './api-status.ts'

const status = (message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  code: 422,
})

test('the Status message is read from a text or an object body', () => {
  const text = new ApiException(422, 'Unprocessable', JSON.stringify(status('Service "x" is invalid')), {})
  assert.deepEqual(apiStatus(text), { code: 422, message: 'Service "x" is invalid' })
  assert.equal(apiMessage(text), 'Service "x" is invalid (HTTP 422)')
  const obj = new ApiException(409, 'Conflict', status('already exists'), {})
  assert.equal(apiMessage(obj), 'already exists (HTTP 409)')
})

test('answers without a Status message, and other errors, are still described', () => {
  const html = new ApiException(502, 'Bad Gateway', '<html>bad gateway</html>', {})
  assert.equal(apiStatus(html), undefined)
  assert.equal(apiMessage(html), 'HTTP 502: <html>bad gateway</html>')
  assert.equal(apiMessage(new ApiException(500, 'x', '{not json', {})), 'HTTP 500: {not json')
  assert.equal(apiMessage(new Error('connect ECONNREFUSED')), 'connect ECONNREFUSED')
  assert.equal(apiStatus(new Error('x')), undefined)
})
