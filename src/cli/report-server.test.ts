import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { opener } from './report-command.ts'
import { fileInside, REPORT_HOST, serveReport } from './report-server.ts'

// A raw GET (no URL normalisation by a client library), answering status, type and body.
function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

test('the report server listens on 127.0.0.1 only and serves the files of its folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-report-test-'))
  await mkdir(join(dir, 'html', 'data'), { recursive: true })
  await writeFile(join(dir, 'html', 'index.html'), '<html>report</html>')
  await writeFile(join(dir, 'html', 'data', 'a.json'), '{"a":1}')
  await writeFile(join(dir, 'secret.txt'), 'outside the report')
  await symlink(join(dir, 'secret.txt'), join(dir, 'html', 'link.txt'))
  const served = await serveReport(join(dir, 'html'), 0)
  try {
    const address = served.server.address()
    assert.ok(address && typeof address === 'object')
    assert.equal(address.address, REPORT_HOST)
    assert.equal(served.url, `http://127.0.0.1:${address.port}/`)
    const port = address.port
    assert.deepEqual(await get(port, '/'), {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<html>report</html>',
    })
    assert.equal((await get(port, '/index.html')).body, '<html>report</html>')
    assert.equal((await get(port, '/data/a.json')).body, '{"a":1}')
    assert.equal((await get(port, '/index.html', 'HEAD')).status, 200)
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/data/..%2f..%2fsecret.txt',
      '/..%5c..%5csecret.txt',
      '/link.txt',
      '/missing.html',
      '/data',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const r = await get(port, path)
      assert.equal(r.status, 404, `${path}: ${r.status} ${r.body}`)
      assert.doesNotMatch(r.body, /outside the report/)
    }
    assert.equal((await get(port, '/index.html', 'POST')).status, 405)
  } finally {
    await served.close()
    await rm(dir, { recursive: true, force: true })
  }
})

test('a request path maps to a file inside the folder or to nothing', () => {
  assert.equal(fileInside('/r', '/'), '/r/index.html')
  assert.equal(fileInside('/r', '/a/b.js?x=1'), '/r/a/b.js')
  assert.equal(fileInside('/r', '/a%20b.txt'), '/r/a b.txt')
  // Dot segments, encoded or not, are resolved as the URL standard says: never above the folder.
  assert.equal(fileInside('/r', '/%2e%2e/etc/passwd'), '/r/etc/passwd')
  assert.equal(fileInside('/r', '/a/%2e%2e/%2e%2e/x'), '/r/x')
  assert.equal(fileInside('/r', '/a/..%2f..%2fx'), undefined)
  assert.equal(fileInside('/r', '/%00'), undefined)
})

test('a taken port is an error naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'svcnet-report-test-'))
  const first = await serveReport(dir, 0)
  try {
    const port = (first.server.address() as { port: number }).port
    await assert.rejects(serveReport(dir, port), new RegExp(`on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`))
  } finally {
    await first.close()
    await rm(dir, { recursive: true, force: true })
  }
})

test('the report opens with xdg-open, else chromium, else the user is told how', () => {
  const all = () => true
  const display = { DISPLAY: ':0' }
  assert.deepEqual(opener('/r/index.html', display, all, false), {
    argv: ['/usr/bin/xdg-open', '/r/index.html'],
  })
  const chromium = (b: string) => b === '/usr/bin/chromium'
  assert.deepEqual(opener('http://127.0.0.1:1/', display, chromium, true), {
    argv: ['/usr/bin/chromium', '--no-sandbox', 'http://127.0.0.1:1/'],
  })
  assert.match(JSON.stringify(opener('x', display, () => false, false)), /apt-get install xdg-utils chromium/)
  assert.match(JSON.stringify(opener('x', {}, all, false)), /no display here/)
})
