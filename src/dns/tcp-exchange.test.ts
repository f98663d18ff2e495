// tcpExchange against local TCP servers: framing across chunks, an early close, a silent server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Socket } from 'node:net'
import { tcpExchange } from './tcp-exchange.ts'

// A server on 127.0.0.1 that hands each connection's first data to `onData`; resolves with its port and close.
async function server(onData: (sock: Socket, data: Buffer) => void) {
  const sockets = new Set<Socket>()
  const s = createServer((sock) => {
    sockets.add(sock)
    sock.once('data', (d) => onData(sock, d))
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return {
    port: (s.address() as { port: number }).port,
    close: () => {
      for (const sock of sockets) sock.destroy()
      s.close()
    },
  }
}

test('the length-prefixed answer is put together across chunks; the query went out length-prefixed', async () => {
  let seen: Buffer | undefined
  const srv = await server((sock, d) => {
    seen = d
    const answer = Buffer.from('answer-bytes')
    const len = Buffer.alloc(2)
    len.writeUInt16BE(answer.length)
    const framed = Buffer.concat([len, answer, Buffer.from('trailing')])
    sock.write(framed.subarray(0, 5))
    setImmediate(() => sock.write(framed.subarray(5)))
  })
  try {
    const answer = await tcpExchange('127.0.0.1', srv.port, Buffer.from('query'), 2000)
    assert.equal(answer.toString(), 'answer-bytes')
    assert.deepEqual(seen, Buffer.from([0, 5, ...Buffer.from('query')]))
  } finally {
    srv.close()
  }
})

test('a server that closes early or stays silent is an error naming it', async () => {
  const closing = await server((sock) => sock.end(Buffer.from([0, 9, 1])))
  const silent = await server(() => {})
  try {
    await assert.rejects(
      tcpExchange('127.0.0.1', closing.port, Buffer.from('q'), 2000),
      new RegExp(`^Error: 127\\.0\\.0\\.1:${closing.port} over TCP: closed before a whole answer$`),
    )
    await assert.rejects(
      tcpExchange('127.0.0.1', silent.port, Buffer.from('q'), 100),
      new RegExp(`^Error: 127\\.0\\.0\\.1:${silent.port} over TCP: no answer within 100ms$`),
    )
  } finally {
    closing.close()
    silent.close()
  }
})
