import { test } from 'node:test'
import assert from 'node:assert/strict'
import { apiTime, rfc3339, timeOf } from './time.ts'

test('API times are RFC 3339 with second precision and read back', () => {
  const at = new Date(Date.UTC(2026, 11, 1, 14, 3, 26, 789))
  assert.equal(rfc3339(at), '2026-12-01T14:03:26Z')
  assert.equal(apiTime(at) as unknown as string, '2026-12-01T14:03:26Z')
  assert.equal(timeOf(rfc3339(at)), Date.UTC(2026, 11, 1, 14, 3, 26))
  assert.equal(timeOf(at), at.getTime())
  assert.ok(Number.isNaN(timeOf(undefined)))
})
