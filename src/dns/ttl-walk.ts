// Finds the TTL fields of a response (for serving cached upstream answers with their remaining TTL).

/** Offsets of every TTL field (OPT excluded), the smallest TTL, and where the question ends. */
export interface TtlMap {
  offsets: number[]
  min: number
  questionEnd: number
}

// Skips a (possibly compressed) name at o; returns the offset after it, or -1 when it runs off the buffer.
function skipName(buf: Buffer, o: number): number {
  for (;;) {
    if (o >= buf.length) return -1
    const len = buf[o]!
    if (len === 0) return o + 1
    if ((len & 0xc0) === 0xc0) return o + 2 <= buf.length ? o + 2 : -1
    if (len & 0xc0) return -1
    o += 1 + len
  }
}

// Walks a response's records; undefined when it is malformed.
export function walkTtls(buf: Buffer): TtlMap | undefined {
  if (buf.length < 12) return undefined
  const qd = buf.readUInt16BE(4)
  const rrs = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10)
  let o = 12
  for (let i = 0; i < qd; i++) {
    o = skipName(buf, o)
    if (o < 0 || o + 4 > buf.length) return undefined
    o += 4
  }
  const questionEnd = o
  const offsets: number[] = []
  let min = Infinity
  for (let i = 0; i < rrs; i++) {
    o = skipName(buf, o)
    if (o < 0 || o + 10 > buf.length) return undefined
    const type = buf.readUInt16BE(o)
    const rdlen = buf.readUInt16BE(o + 8)
    if (type !== 41) {
      offsets.push(o + 4)
      min = Math.min(min, buf.readUInt32BE(o + 4))
    }
    o += 10 + rdlen
    if (o > buf.length) return undefined
  }
  return { offsets, min: min === Infinity ? 0 : min, questionEnd }
}
