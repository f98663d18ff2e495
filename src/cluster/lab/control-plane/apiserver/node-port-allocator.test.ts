import { test } from 'node:test'
import assert from 'node:assert/strict'
import { NodePortAllocator, parsePortRange } from './node-port-allocator.ts'

test('requested ports: in range once, refused when taken or outside, free again after release', () => {
  const a = new NodePortAllocator()
  assert.equal(a.allocate(32233), undefined)
  assert.equal(a.allocate(32233), 'allocated')
  assert.equal(a.allocate(20000), 'out-of-range')
  a.release(32233)
  assert.equal(a.allocate(32233), undefined)
  assert.deepEqual(parsePortRange(' 30000-30100 '), { min: 30000, max: 30100 })
  assert.throws(() => parsePortRange('30000'), /node port range must look like 30000-32767, got "30000"/)
})

test('random ports come from above the static band (upstream: min(max(16, size/32), 128)) until it is full', () => {
  const a = new NodePortAllocator()
  assert.deepEqual(a.staticBand, { min: 30000, max: 30085 })
  const upper = 32767 - 30086 + 1
  const picked = new Set<number>()
  for (let i = 0; i < upper; i++) {
    const p = a.allocateNext()
    assert.ok(p !== undefined && p >= 30086 && p <= 32767, `pick ${i} was ${p}`)
    picked.add(p)
  }
  assert.equal(picked.size, upper)
  // The upper band is full: the static band is used next, then nothing is left.
  const lower = Array.from({ length: 86 }, () => a.allocateNext())
  assert.ok(lower.every((p) => p !== undefined && p >= 30000 && p <= 30085))
  assert.equal(new Set(lower).size, 86)
  assert.equal(a.allocateNext(), undefined)
})

test('a range smaller than the minimum band is used whole; the band never exceeds 128 ports', () => {
  const small = new NodePortAllocator({ min: 40000, max: 40009 }, () => 0.5)
  assert.deepEqual(small.staticBand, { min: 40000, max: 40009 })
  const ports = Array.from({ length: 10 }, () => small.allocateNext())
  assert.deepEqual([...ports].sort(), [40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009])
  assert.deepEqual(new NodePortAllocator({ min: 1, max: 65535 }).staticBand, { min: 1, max: 128 })
})
