// For tests: a loopback TCP relay in front of an API server that records the requests passing through and can cut
// every connection (and refuse new ones) to make a watch fail, or switch to another server.
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/** A request line and its Authorization header, as the relay saw them (plain http only). */
export interface SeenRequest {
  target: string
  authorization: string | undefined
}

// A relay on 127.0.0.1: `url` goes to `targetPort` until switched; `cut` drops and refuses connections.
export class TestRelay {
  readonly requests: SeenRequest[] = []
  targetPort: number
  refusing = false
  readonly #sockets = new Set<Socket>()
  readonly #server: Server

  private constructor(server: Server, targetPort: number) {
    this.#server = server
    this.targetPort = targetPort
  }

  // Starts a relay to targetPort.
  static async start(targetPort: number): Promise<TestRelay> {
    const server = createServer()
    const relay = new TestRelay(server, targetPort)
    server.on('connection', (s) => relay.#accept(s))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return relay
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  // The request targets seen so far that start with prefix.
  targets(prefix = ''): string[] {
    return this.requests.map((r) => r.target).filter((t) => t.startsWith(prefix))
  }

  // Drops every open connection; new ones are refused until `refusing` is set false again.
  cut(refuse: boolean): void {
    this.refusing = refuse
    for (const s of this.#sockets) s.destroy()
    this.#sockets.clear()
  }

  async close(): Promise<void> {
    this.cut(true)
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #accept(client: Socket): void {
    if (this.refusing) return void client.destroy()
    const upstream = connect(this.targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      this.#sockets.add(s)
      s.on('error', () => s.destroy())
      s.on('close', () => this.#sockets.delete(s))
    }
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1')
      for (const m of text.matchAll(/^GET (\S+) HTTP\/1\.1\r\n((?:[^\r\n]+\r\n)*)/gm)) {
        const auth = /^authorization: *(.*)$/im.exec(m[2] ?? '')?.[1]
        this.requests.push({ target: m[1]!, authorization: auth })
      }
    })
    client.pipe(upstream).pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  }
}
