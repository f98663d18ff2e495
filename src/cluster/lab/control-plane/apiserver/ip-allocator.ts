// ClusterIP allocation from an IPv4 service CIDR: requested IPs anywhere in range, random ones preferring the upper band.

import { formatIPv4, parseCidr4, parseIPv4 } from '../../../../kube/ip.ts'

/** Why a requested IP could not be allocated. */
export type IpRefusal = 'invalid' | 'out-of-range' | 'allocated'

// Allocates service IPs from one IPv4 CIDR; never the network or broadcast address.
export class IpAllocator {
  readonly cidr: string
  private readonly base: number
  private readonly size: number
  private readonly staticBand: number
  private readonly used = new Set<number>()
  private readonly random: () => number

  constructor(cidr: string, random: () => number = Math.random) {
    const c = parseCidr4(cidr, 'strict')
    if (!c || !(c.prefix >= 8 && c.prefix <= 30)) {
      throw new TypeError(
        `service CIDR must be an IPv4 CIDR with a prefix between /8 and /30, got ${JSON.stringify(cidr)}`,
      )
    }
    this.size = c.size
    this.base = c.base
    this.cidr = `${c.network}/${c.prefix}`
    // Upstream reserves a lower "static band" for requested IPs: min(max(16, size/16), 256).
    this.staticBand = Math.min(Math.max(16, Math.floor(this.size / 16)), 256)
    this.random = random
  }

  /** How many addresses are free. */
  get free(): number {
    return this.size - 2 - this.used.size
  }

  // Whether ip is a usable address of the range.
  contains(ip: string): boolean {
    const n = parseIPv4(ip)
    return n !== undefined && n > this.base && n < this.base + this.size - 1
  }

  // Reserves a requested IP; returns why not when it cannot.
  allocate(ip: string): IpRefusal | undefined {
    const n = parseIPv4(ip)
    if (n === undefined) return 'invalid'
    if (!this.contains(ip)) return 'out-of-range'
    if (this.used.has(n)) return 'allocated'
    this.used.add(n)
    return undefined
  }

  // Picks a free IP at random, from the upper (dynamic) band first; undefined when the range is full.
  allocateNext(): string | undefined {
    const lo = Math.min(this.staticBand, this.size - 2)
    for (const [from, to] of [
      [lo + 1, this.size - 2],
      [1, this.size - 2],
    ] as const) {
      if (to < from) continue
      const span = to - from + 1
      const start = Math.floor(this.random() * span)
      for (let i = 0; i < span; i++) {
        const n = this.base + from + ((start + i) % span)
        if (!this.used.has(n)) {
          this.used.add(n)
          return formatIPv4(n)
        }
      }
    }
    return undefined
  }

  // Frees an IP (no-op when it is not allocated or not in range).
  release(ip: string): void {
    const n = parseIPv4(ip)
    if (n !== undefined) this.used.delete(n)
  }
}
