import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createConnection, createServer } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseListen, runForwarder } from './forwarder.ts'

// Sends a line over TCP and resolves with everything the peer sent back before closing.
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => s.end(text))
    let got = ''
    s.on('data', (d) => (got += d.toString()))
    s.on('end', () => resolve(got))
    s.on('error', reject)
  })
}

test('runForwarder pipes TCP connections to a unix socket, both ways, until closed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-fwd-'))
  const sock = join(dir, 'api.sock')
  const upstream = createServer((c) => {
    let got = ''
    c.on('data', (d) => (got += d.toString()))
    c.on('end', () => c.end(`echo:${got}`))
  })
  await new Promise<void>((r) => upstream.listen(sock, r))
  const fwd = await runForwarder({ host: '127.0.0.1', port: 0 }, sock)
  try {
    assert.ok(fwd.address.port > 0)
    const answers = await Promise.all(
      ['one', 'two', 'x'.repeat(200_000)].map((m) => exchange(fwd.address.port, m)),
    )
    assert.deepEqual(
      answers.map((a) => a.slice(0, 12)),
      ['echo:one', 'echo:two', `echo:${'x'.repeat(7)}`],
    )
    assert.equal(answers[2]!.length, 200_005)
  } finally {
    await fwd.close()
    await new Promise<void>((r) => upstream.close(() => r()))
    await rm(dir, { recursive: true, force: true })
  }
  await assert.rejects(exchange(fwd.address.port, 'after close'), /ECONNREFUSED/)
})

// Connects, sends text, and resolves with what came back and how the connection ended.
function outcome(port: number, text: string): Promise<{ got: string; error?: string }> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => s.end(text))
    let got = ''
    let error: string | undefined
    s.on('data', (d) => (got += d.toString()))
    s.on('error', (err: NodeJS.ErrnoException) => (error = err.code))
    s.on('close', () => resolve(error ? { got, error } : { got }))
  })
}

test('a connection whose unix socket is missing is closed, and the forwarder keeps serving', async () => {
  const fwd = await runForwarder({ host: '127.0.0.1', port: 0 }, '/nonexistent/svcnet-test.sock')
  try {
    for (const text of ['hello', 'again']) {
      const r = await outcome(fwd.address.port, text)
      assert.equal(r.got, '')
      assert.ok(r.error === undefined || r.error === 'ECONNRESET' || r.error === 'EPIPE', JSON.stringify(r))
    }
  } finally {
    await fwd.close()
  }
})

test('parseListen reads host:port', () => {
  assert.deepEqual(parseListen('0.0.0.0:6443'), { host: '0.0.0.0', port: 6443 })
  assert.deepEqual(parseListen(':6443'), { host: '0.0.0.0', port: 6443 })
  assert.throws(() => parseListen('0.0.0.0:http'), /expected host:port/)
})

test('forwardCommand rejects missing or malformed flags with exit code 2', async () => {
  const { forwardCommand } = await import('./forwarder.ts')
  const write = process.stderr.write
  const errors: string[] = []
  process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write
  try {
    assert.equal(await forwardCommand(['--listen', '0.0.0.0:6443']), 2)
    assert.equal(await forwardCommand(['--listen', 'nope:port', '--to', '/x.sock']), 2)
    assert.equal(await forwardCommand(['--bogus']), 2)
  } finally {
    process.stderr.write = write
  }
  assert.match(errors[0]!, /both --listen and --to are required/)
  assert.match(errors[1]!, /expected host:port, got "nope:port"/)
  assert.match(errors[2]!, /unknown flag: --bogus/)
})
