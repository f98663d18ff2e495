// One DNS exchange over TCP (RFC 1035 4.2.2: each message prefixed by its 2-byte length): the forwarder's TCP
// retry and the test client both use it.
import { connect } from 'node:net'

// Sends `packet` to host:port over TCP and resolves with the first whole answer; rejects naming the server when
// it fails, closes early or does not answer within timeoutMs.
export function tcpExchange(host: string, port: number, packet: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port })
    let buf = Buffer.alloc(0)
    let done = false
    const finish = (err: Error | undefined, answer?: Buffer) => {
      if (done) return
      done = true
      clearTimeout(timer)
      sock.destroy()
      if (err) reject(err)
      else resolve(answer!)
    }
    const fail = (why: string) => finish(new Error(`${host}:${port} over TCP: ${why}`))
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs}ms`), timeoutMs)
    sock.on('error', (err) => fail(err.message))
    sock.on('connect', () => {
      const len = Buffer.alloc(2)
      len.writeUInt16BE(packet.length)
      sock.write(Buffer.concat([len, packet]))
    })
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk])
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0))
        finish(undefined, buf.subarray(2, 2 + buf.readUInt16BE(0)))
    })
    sock.on('end', () => fail('closed before a whole answer'))
  })
}
