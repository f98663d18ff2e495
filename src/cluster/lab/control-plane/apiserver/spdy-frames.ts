// SPDY/3.1 framing, as kubectl's port-forward speaks it (moby/spdystream): frames, header blocks, zlib with the SPDY dictionary.
import { constants, inflateSync } from 'node:zlib'

// The SPDY/3 header-compression dictionary (draft 3, §2.6.10.1): length-prefixed words, then a run of plain text.
// prettier-ignore
const DICTIONARY_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding',
  'accept-language', 'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection',
  'content-base', 'content-encoding', 'content-language', 'content-length', 'content-location', 'content-md5',
  'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'from', 'host', 'if-match',
  'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'last-modified', 'location',
  'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'retry-after',
  'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie',
  'keep-alive', 'origin',
]
const DICTIONARY_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.'

// The dictionary bytes (1423 of them).
export const SPDY_DICTIONARY: Buffer = Buffer.concat([
  ...DICTIONARY_WORDS.map((w) => {
    const b = Buffer.alloc(4 + w.length)
    b.writeUInt32BE(w.length, 0)
    b.write(w, 4, 'latin1')
    return b
  }),
  Buffer.from(DICTIONARY_TAIL, 'latin1'),
])

/** Control frame types. */
export const FRAME = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const

/** FLAG_FIN: the sender's last frame on the stream. */
export const FLAG_FIN = 0x01

/** One parsed frame: a control frame (with its raw body) or a data frame. */
export type SpdyFrame =
  | { control: true; type: number; flags: number; body: Buffer }
  | { control: false; streamId: number; flags: number; data: Buffer }

// Splits complete frames off the front of a byte buffer; returns them and the unconsumed rest.
export function parseFrames(buf: Buffer): { frames: SpdyFrame[]; rest: Buffer } {
  const frames: SpdyFrame[] = []
  let off = 0
  while (buf.length - off >= 8) {
    const length = buf.readUInt32BE(off + 4) & 0xffffff
    if (buf.length - off < 8 + length) break
    const flags = buf[off + 4]!
    const payload = buf.subarray(off + 8, off + 8 + length)
    if (buf[off]! & 0x80) {
      frames.push({ control: true, type: buf.readUInt16BE(off + 2), flags, body: payload })
    } else {
      frames.push({ control: false, streamId: buf.readUInt32BE(off) & 0x7fffffff, flags, data: payload })
    }
    off += 8 + length
  }
  return { frames, rest: buf.subarray(off) }
}

// A control frame: version 3, type, flags, body.
export function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt16BE(0x8003, 0)
  head.writeUInt16BE(type, 2)
  head.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4)
  return Buffer.concat([head, body])
}

// A data frame on a stream.
export function dataFrame(streamId: number, flags: number, data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + data.length)
  out.writeUInt32BE(streamId & 0x7fffffff, 0)
  out.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4)
  out.set(data, 8)
  return out
}

// A 32-bit big-endian number (stream ids, status codes, ping ids).
export function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length)
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i))
  return b
}

// The uncompressed name/value block: a count, then length-prefixed names and values (names lower-cased).
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)]
  for (const [k, v] of Object.entries(headers)) {
    const name = Buffer.from(k.toLowerCase(), 'utf8')
    const value = Buffer.from(v, 'utf8')
    parts.push(u32(name.length), name, u32(value.length), value)
  }
  return Buffer.concat(parts)
}

// Parses an uncompressed name/value block; several values of one name are NUL-separated and kept as one string.
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {}
  const n = block.readUInt32BE(0)
  let off = 4
  for (let i = 0; i < n; i++) {
    const nameLen = block.readUInt32BE(off)
    const name = block.toString('utf8', off + 4, off + 4 + nameLen)
    off += 4 + nameLen
    const valueLen = block.readUInt32BE(off)
    out[name.toLowerCase()] = block.toString('utf8', off + 4, off + 4 + valueLen)
    off += 4 + valueLen
  }
  return out
}

/** The receiving side's zlib context: every header block continues one stream, so all input is kept. */
export class HeaderInflater {
  #input = Buffer.alloc(0)
  #produced = 0

  // Inflates the next compressed header block (the peer sync-flushes after each one).
  next(compressed: Buffer): Buffer {
    this.#input = Buffer.concat([this.#input, compressed])
    const all = inflateSync(this.#input, { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH })
    const out = all.subarray(this.#produced)
    this.#produced = all.length
    return out
  }
}

/** The sending side's zlib stream, written as stored (uncompressed) deflate blocks: valid for any inflater. */
export class HeaderDeflater {
  #started = false

  // The zlib bytes of one header block (the first also carries the zlib stream header).
  next(block: Buffer): Buffer {
    const parts: Buffer[] = []
    if (!this.#started) parts.push(Buffer.from([0x78, 0x01]))
    this.#started = true
    for (let off = 0; off < block.length; off += 0xffff)
      parts.push(storedBlock(block.subarray(off, off + 0xffff)))
    // An empty stored block, as zlib's sync flush writes: it makes the peer's inflater hand out what it has
    // (Go's flate returns a block's bytes only at the next block boundary).
    parts.push(storedBlock(Buffer.alloc(0)))
    return Buffer.concat(parts)
  }
}

// One non-final stored deflate block: a zero header byte (BFINAL=0, BTYPE=00, padding), LEN, ~LEN, the bytes.
function storedBlock(chunk: Buffer): Buffer {
  const head = Buffer.alloc(5)
  head.writeUInt16LE(chunk.length, 1)
  head.writeUInt16LE(~chunk.length & 0xffff, 3)
  return Buffer.concat([head, chunk])
}
