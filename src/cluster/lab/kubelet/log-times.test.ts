// Log lines get the time they were written, in the form the kubelet prefixes with `kubectl logs --timestamps`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '../../../wait/wait-for.ts'
import { LogTimes, StreamStamper, prefixLines, rfc3339Nano } from './log-times.ts'

test('times print as Go RFC3339Nano in UTC: trailing zeros dropped, no fraction when zero', () => {
  const t = Date.parse('2026-12-01T16:40:01Z')
  assert.equal(rfc3339Nano(t), '2026-12-01T16:40:01Z')
  assert.equal(rfc3339Nano(t + 120), '2026-12-01T16:40:01.12Z')
  assert.equal(rfc3339Nano(t + 1.234567), '2026-12-01T16:40:01.001235Z')
})

test('each line gets the time of the byte that ends it; the final newline stays', () => {
  const ends: number[] = []
  const text = prefixLines('ab\ncdé\n', 10, (end) => (ends.push(end), Date.parse('2026-01-01T00:00:00Z')))
  assert.deepEqual(ends, [12, 17])
  assert.equal(text, '2026-01-01T00:00:00Z ab\n2026-01-01T00:00:00Z cdé\n')
  assert.equal(
    prefixLines('', 0, () => 0),
    '',
  )
})

test('a watched log: each line keeps the time it was written, also after a restart renames the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svcnet-log-times-'))
  const times = new LogTimes((err) => assert.fail(err))
  try {
    times.start(dir)
    const pod = join(dir, 'ns_web_uid')
    mkdirSync(pod)
    const log = join(pod, 'web.log')
    // The pod folder is picked up as it appears, then its log as it is written.
    const before1 = Date.now()
    writeFileSync(log, 'first\n')
    await waitFor({
      what: `${log} noted once`,
      timeoutMs: 5000,
      intervalMs: 5,
      check: async () =>
        times.notes(log) >= 1 ? { done: true, value: 0 } : { done: false, seen: `${times.notes(log)} notes` },
    })
    const after1 = Date.now()
    await waitFor({
      what: '30 ms to pass',
      timeoutMs: 1000,
      intervalMs: 5,
      check: async () =>
        Date.now() > after1 + 30 ? { done: true, value: 0 } : { done: false, seen: 'not yet' },
    })
    const before2 = Date.now()
    appendFileSync(log, 'second\n')
    await waitFor({
      what: `${log} noted twice`,
      timeoutMs: 5000,
      intervalMs: 5,
      check: async () =>
        times.notes(log) >= 2 ? { done: true, value: 0 } : { done: false, seen: `${times.notes(log)} notes` },
    })
    const out = times.timestamped(log, 'first\nsecond\n')
    const [t1, t2] = out.split('\n').map((l) => Date.parse(l.split(' ')[0]!))
    assert.ok(t1! >= before1 - 1 && t1! <= after1 + 1, `first line at ${out}`)
    assert.ok(t2! >= before2 - 1 && t2! > t1!, `second line at ${out}`)
    assert.match(out, /^\S+Z first\n\S+Z second\n$/)
    // A restart: the old log becomes .previous.log (its times with it), a new one starts.
    renameSync(log, join(pod, 'web.previous.log'))
    writeFileSync(log, 'again\n')
    await waitFor({
      what: 'the new log noted',
      timeoutMs: 5000,
      intervalMs: 5,
      check: async () =>
        times.notes(log) === 1
          ? { done: true, value: 0 }
          : { done: false, seen: `${times.notes(log)} notes` },
    })
    assert.equal(times.timestamped(join(pod, 'web.previous.log'), 'first\nsecond\n'), out)
  } finally {
    times.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a followed log is stamped line by line, a split line once its newline arrives', () => {
  const seen: Array<[string, number]> = []
  const s = new StreamStamper(
    (text, start) => (seen.push([text, start]), text.replace(/^/gm, 'T ').replace(/T $/, '')),
    100,
  )
  assert.equal(s.push(Buffer.from('one\ntw')), 'T one\n')
  assert.equal(s.push(Buffer.from('o\nthree')), 'T two\n')
  assert.equal(s.end(), 'T three')
  assert.deepEqual(
    seen.map(([, start]) => start),
    [100, 104, 108],
  )
})
