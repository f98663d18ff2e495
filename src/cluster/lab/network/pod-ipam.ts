// Pod IP allocation within one node's pod CIDR: .1 is the gateway, pods get .2 upwards (pure).

// Parses a dotted IPv4 address into a 32-bit number.
export function ipToNumber(ip: string): number {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) {
    throw new TypeError(`not an IPv4 address: "${ip}"`)
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

// Formats a 32-bit number as a dotted IPv4 address.
export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

// Parses "a.b.c.d/len" into its first address and size.
export function parseCidr(cidr: string): { base: number; size: number; bits: number } {
  const [ip, len] = cidr.split('/')
  const bits = Number(len)
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 30) {
    throw new TypeError(`not an IPv4 CIDR with room for pods: "${cidr}"`)
  }
  const size = 2 ** (32 - bits)
  const base = ipToNumber(ip)
  if (base % size !== 0) throw new TypeError(`CIDR "${cidr}" has host bits set`)
  return { base, size, bits }
}

// True when an address lies inside a CIDR.
export function cidrContains(cidr: string, ip: string): boolean {
  const { base, size } = parseCidr(cidr)
  const n = ipToNumber(ip)
  return n >= base && n < base + size
}

// The index-th pod address of a node's pod CIDR: index 0 is .2 (after the gateway .1).
export function podIpFor(node: { podCIDR: string }, index: number): string {
  const { base, size } = parseCidr(node.podCIDR)
  if (!Number.isInteger(index) || index < 0 || index + 2 > size - 2) {
    throw new RangeError(
      `pod index ${index} does not fit pod CIDR ${node.podCIDR} (${size - 3} pod addresses)`,
    )
  }
  return numberToIp(base + 2 + index)
}

// Thrown when a node's pod CIDR has no free address left.
export class PodCidrFullError extends Error {
  constructor(cidr: string, used: number) {
    super(`pod CIDR ${cidr} is full: all ${used} pod addresses are allocated`)
    this.name = 'PodCidrFullError'
  }
}

// Allocates pod IPs in one pod CIDR: lowest free address from .2, released addresses are reused.
export class PodIpam {
  readonly cidr: string
  readonly #used = new Map<string, string>()
  readonly #capacity: number

  constructor(cidr: string) {
    this.cidr = cidr
    // .0 network, .1 gateway, last address broadcast.
    this.#capacity = parseCidr(cidr).size - 3
  }

  // Allocates an address for a pod uid; the same uid gets the same address back.
  allocate(uid: string): string {
    for (const [ip, owner] of this.#used) if (owner === uid) return ip
    for (let i = 0; i < this.#capacity; i++) {
      const ip = podIpFor({ podCIDR: this.cidr }, i)
      if (!this.#used.has(ip)) {
        this.#used.set(ip, uid)
        return ip
      }
    }
    throw new PodCidrFullError(this.cidr, this.#used.size)
  }

  // Marks an address as taken (pods found already running); throws when another uid holds it.
  reserve(ip: string, uid: string): void {
    if (!cidrContains(this.cidr, ip)) throw new RangeError(`${ip} is not in pod CIDR ${this.cidr}`)
    const owner = this.#used.get(ip)
    if (owner !== undefined && owner !== uid) throw new Error(`${ip} is already allocated to pod ${owner}`)
    this.#used.set(ip, uid)
  }

  // Frees a pod's address (by uid); no-op when it holds none.
  release(uid: string): void {
    for (const [ip, owner] of this.#used) if (owner === uid) this.#used.delete(ip)
  }

  // Addresses currently allocated, with their pod uid.
  allocated(): Map<string, string> {
    return new Map(this.#used)
  }
}
