// A minimal DNS client for tests, the fuzz test and benchmarks: one query over UDP or TCP to a local server.
import { createSocket } from 'node:dgram'
import dnsPacket from 'dns-packet'
import { describeResponse, type DescribedResponse } from './describe.ts'
import { tcpExchange } from './tcp-exchange.ts'

/** Query options. */
export interface ClientOptions {
  tcp?: boolean
  /** EDNS0 UDP size; none when absent. */
  edns?: number
  /** @default 2000 */
  timeoutMs?: number
  /** @default 127.0.0.1 */
  host?: string
}

// Encodes a query for name and type.
export function encodeQuery(name: string, type: string, opts: { id?: number; edns?: number } = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? Math.floor(Math.random() * 65536),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
    additionals:
      opts.edns !== undefined
        ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, flags: 0 } as dnsPacket.Answer]
        : [],
  })
}

// Sends raw bytes and resolves with the raw answer; rejects on timeout.
export function exchange(port: number, packet: Buffer, opts: ClientOptions = {}): Promise<Buffer> {
  const host = opts.host ?? '127.0.0.1'
  const timeoutMs = opts.timeoutMs ?? 2000
  return new Promise((resolve, reject) => {
    if (opts.tcp) {
      tcpExchange(host, port, packet, timeoutMs).then(resolve, reject)
      return
    }
    const sock = createSocket('udp4')
    const timer = setTimeout(() => {
      sock.close()
      reject(new Error(`no UDP answer from ${host}:${port} within ${timeoutMs}ms`))
    }, timeoutMs)
    sock.on('message', (msg) => {
      clearTimeout(timer)
      sock.close()
      resolve(msg)
    })
    sock.send(packet, port, host)
  })
}

// Asks name/type and decodes the answer into presentation strings.
export async function ask(
  port: number,
  name: string,
  type = 'A',
  opts: ClientOptions = {},
): Promise<DescribedResponse> {
  return describeResponse(await exchange(port, encodeQuery(name, type, { edns: opts.edns }), opts))
}
