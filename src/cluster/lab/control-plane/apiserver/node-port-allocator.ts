// NodePort allocation from a port range (default 30000-32767): requested ports checked, others picked at random,
// from the upper band first as upstream does (KEP-3668), so ports chosen by hand in the lower band rarely collide.

/** Why a requested port could not be allocated. */
export type PortRefusal = 'out-of-range' | 'allocated'

/** A node port range, inclusive. */
export interface PortRange {
  min: number
  max: number
}

// Parses `30000-32767` into a range; throws a TypeError naming the value when malformed.
export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)-(\d+)$/.exec(text.trim())
  const min = Number(m?.[1])
  const max = Number(m?.[2])
  if (!m || min < 1 || max > 65535 || min > max) {
    throw new TypeError(`node port range must look like 30000-32767, got ${JSON.stringify(text)}`)
  }
  return { min, max }
}

// Allocates node ports (shared by all protocols, like upstream) from one range.
export class NodePortAllocator {
  readonly range: PortRange
  private readonly used = new Set<number>()
  private readonly random: () => number

  constructor(range: PortRange = { min: 30000, max: 32767 }, random: () => number = Math.random) {
    if (!(range.min >= 1 && range.max <= 65535 && range.min <= range.max)) {
      throw new TypeError(
        `node port range must be within 1-65535 with min <= max, got ${range.min}-${range.max}`,
      )
    }
    this.range = range
    this.random = random
  }

  /** The range as upstream prints it: `30000-32767`. */
  get rangeText(): string {
    return `${this.range.min}-${this.range.max}`
  }

  // Reserves a requested port; returns why not when it cannot.
  allocate(port: number): PortRefusal | undefined {
    if (!(port >= this.range.min && port <= this.range.max)) return 'out-of-range'
    if (this.used.has(port)) return 'allocated'
    this.used.add(port)
    return undefined
  }

  /** The lower "static" band that random picks avoid while the rest has room: min(max(16, size/32), 128) ports. */
  get staticBand(): PortRange {
    const size = this.range.max - this.range.min + 1
    const band = Math.min(Math.max(16, Math.floor(size / 32)), 128)
    return { min: this.range.min, max: Math.min(this.range.min + band - 1, this.range.max) }
  }

  // Picks a free port at random, from above the static band first; undefined when the range is full.
  allocateNext(): number | undefined {
    const band = this.staticBand
    if (band.max < this.range.max) {
      const upper = this.pickFrom({ min: band.max + 1, max: this.range.max })
      if (upper !== undefined) return upper
    }
    return this.pickFrom(band.max < this.range.max ? band : this.range)
  }

  // A free port of `r`, scanning from a random start; reserved when found.
  private pickFrom(r: PortRange): number | undefined {
    const span = r.max - r.min + 1
    const start = Math.floor(this.random() * span)
    for (let i = 0; i < span; i++) {
      const p = r.min + ((start + i) % span)
      if (!this.used.has(p)) {
        this.used.add(p)
        return p
      }
    }
    return undefined
  }

  // Frees a port (no-op when not allocated).
  release(port: number): void {
    this.used.delete(port)
  }
}
