// Pod IP allocation within one node's pod CIDR: .1 is the gateway, pods get .2 upwards, round-robin (pure).
import { cidrAddress, cidrContains, parseCidr4, type Cidr4 } from '../../../kube/ip.ts'

// Parses a node's pod CIDR; throws when it is not an IPv4 CIDR with room for pods or has host bits set.
export function parsePodCidr(cidr: string): Cidr4 {
  const c = parseCidr4(cidr, 'strict')
  if (!c || c.prefix > 30) throw new TypeError(`not an IPv4 CIDR with room for pods: "${cidr}"`)
  if (c.hostBitsSet) throw new TypeError(`CIDR "${cidr}" has host bits set`)
  return c
}

// The index-th pod address of a node's pod CIDR: index 0 is .2 (after the gateway .1).
export function podIpFor(node: { podCIDR: string }, index: number): string {
  const c = parsePodCidr(node.podCIDR)
  if (!Number.isInteger(index) || index < 0 || index + 2 > c.size - 2) {
    throw new RangeError(
      `pod index ${index} does not fit pod CIDR ${node.podCIDR} (${c.size - 3} pod addresses)`,
    )
  }
  return cidrAddress(c, 2 + index)
}

// Thrown when a node's pod CIDR has no free address left.
export class PodCidrFullError extends Error {
  constructor(cidr: string, used: number) {
    super(`pod CIDR ${cidr} is full: all ${used} pod addresses are allocated`)
    this.name = 'PodCidrFullError'
  }
}

// Allocates pod IPs in one pod CIDR from .2 upwards, round-robin: released addresses come back only after the others.
export class PodIpam {
  readonly cidr: string
  readonly #used = new Map<string, string>()
  readonly #capacity: number
  /** Index (from .2) where the next allocation starts looking. */
  #next = 0

  constructor(cidr: string) {
    this.cidr = cidr
    // .0 network, .1 gateway, last address broadcast.
    this.#capacity = parsePodCidr(cidr).size - 3
  }

  // Allocates an address for a pod uid (the same uid gets the same address back), round-robin from the one after
  // the last handed out, as host-local IPAM does: a freed address is not reused at once, so no peer still holds
  // its old neighbour entry (the previous pod's MAC) when a new pod gets it.
  allocate(uid: string): string {
    for (const [ip, owner] of this.#used) if (owner === uid) return ip
    for (let n = 0; n < this.#capacity; n++) {
      const i = (this.#next + n) % this.#capacity
      const ip = podIpFor({ podCIDR: this.cidr }, i)
      if (!this.#used.has(ip)) {
        this.#used.set(ip, uid)
        this.#next = (i + 1) % this.#capacity
        return ip
      }
    }
    throw new PodCidrFullError(this.cidr, this.#used.size)
  }

  // Marks an address as taken (pods found already running); throws when another uid holds it.
  reserve(ip: string, uid: string): void {
    if (!cidrContains(parsePodCidr(this.cidr), ip))
      throw new RangeError(`${ip} is not in pod CIDR ${this.cidr}`)
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
