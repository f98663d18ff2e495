import { test } from 'node:test'
import assert from 'node:assert/strict'
import { constants, createDeflate, inflateSync } from 'node:zlib'
import {
  FLAG_FIN,
  FRAME,
  HeaderDeflater,
  HeaderInflater,
  SPDY_DICTIONARY,
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  parseFrames,
  u32,
} from './spdy-frames.ts'

// Compresses blocks the way spdystream does: one zlib stream with the dictionary, a sync flush after each block.
async function clientCompress(blocks: Buffer[]): Promise<Buffer[]> {
  const z = createDeflate({ dictionary: SPDY_DICTIONARY })
  const out: Buffer[] = []
  for (const b of blocks) {
    const chunks: Buffer[] = []
    const onData = (c: Buffer) => chunks.push(c)
    z.on('data', onData)
    z.write(b)
    await new Promise<void>((resolve) => z.flush(constants.Z_SYNC_FLUSH, () => resolve()))
    z.off('data', onData)
    out.push(Buffer.concat(chunks))
  }
  z.close()
  return out
}

test('the dictionary is the 1423 bytes of SPDY/3, ending in the plain-text run', () => {
  assert.equal(SPDY_DICTIONARY.length, 1423)
  assert.deepEqual([...SPDY_DICTIONARY.subarray(0, 11)], [0, 0, 0, 7, ...Buffer.from('options')])
  assert.equal(SPDY_DICTIONARY.subarray(-8).toString(), '*,enq=0.')
})

test('header blocks of one session decode in order from one compression context', async () => {
  const a = encodeHeaderBlock({ streamType: 'error', port: '8080', requestID: '0' })
  const b = encodeHeaderBlock({ streamType: 'data', port: '8080', requestID: '0' })
  const [ca, cb] = await clientCompress([a, b])
  const inflater = new HeaderInflater()
  assert.deepEqual(decodeHeaderBlock(inflater.next(ca!)), {
    streamtype: 'error',
    port: '8080',
    requestid: '0',
  })
  assert.deepEqual(decodeHeaderBlock(inflater.next(cb!)), {
    streamtype: 'data',
    port: '8080',
    requestid: '0',
  })
})

test('what the deflater writes is one valid zlib stream, block after block', () => {
  const d = new HeaderDeflater()
  const one = encodeHeaderBlock({})
  const two = encodeHeaderBlock({ a: 'b' })
  const stream = Buffer.concat([d.next(one), d.next(two)])
  const out = inflateSync(stream, { finishFlush: constants.Z_SYNC_FLUSH })
  assert.deepEqual(out, Buffer.concat([one, two]))
})

test('frames are split off a byte stream; a partial frame waits for the rest', () => {
  const syn = controlFrame(
    FRAME.synStream,
    0,
    Buffer.concat([u32(1, 0), Buffer.from([0, 0]), Buffer.from('x')]),
  )
  const data = dataFrame(3, FLAG_FIN, Buffer.from('hello'))
  const all = Buffer.concat([syn, data])
  const partial = parseFrames(all.subarray(0, all.length - 2))
  assert.equal(partial.frames.length, 1)
  assert.deepEqual(partial.frames[0], {
    control: true,
    type: FRAME.synStream,
    flags: 0,
    body: syn.subarray(8),
  })
  assert.equal(partial.rest.length, data.length - 2)
  const whole = parseFrames(all)
  assert.deepEqual(whole.frames[1], {
    control: false,
    streamId: 3,
    flags: FLAG_FIN,
    data: Buffer.from('hello'),
  })
  assert.equal(whole.rest.length, 0)
  assert.equal(syn.readUInt16BE(0), 0x8003, 'control bit and version 3')
})
