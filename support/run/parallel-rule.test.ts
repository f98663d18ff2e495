import { test } from 'node:test'
import assert from 'node:assert/strict'
import { canAssign, SERIAL_TAG, type TaggedPickle } from './parallel-rule.ts'

const plain: TaggedPickle = { tags: [{ name: '@area:DNS' }] }
const other: TaggedPickle = { tags: [] }
const serial: TaggedPickle = { tags: [{ name: '@area:iptables' }, { name: SERIAL_TAG }] }

test('scenarios without the tag run side by side', () => {
  assert.equal(canAssign(plain, []), true)
  assert.equal(canAssign(plain, [other]), true)
  assert.equal(canAssign(plain, [other, other, other]), true)
})

test('a @serial scenario starts only when nothing else runs', () => {
  assert.equal(canAssign(serial, []), true)
  assert.equal(canAssign(serial, [plain]), false)
  assert.equal(canAssign(serial, [serial]), false)
})

test('nothing starts beside a running @serial scenario', () => {
  assert.equal(canAssign(plain, [serial]), false)
  assert.equal(canAssign(other, [serial]), false)
})

test('a similar tag is not the serial tag', () => {
  assert.equal(canAssign({ tags: [{ name: '@serially' }] }, [plain]), true)
  assert.equal(canAssign(plain, [{ tags: [{ name: '@not-serial' }] }]), true)
})

test('with two workers, a queue drains without ever running a serial scenario beside another', () => {
  // A small model of cucumber's coordinator: each free worker takes the first assignable pickle of the queue.
  const queue: TaggedPickle[] = [plain, serial, other, serial, plain, other]
  const running: TaggedPickle[] = []
  const order: string[] = []
  let steps = 0
  while ((queue.length || running.length) && steps++ < 100) {
    let started = true
    while (started && running.length < 2) {
      const i = queue.findIndex((p) => canAssign(p, running))
      started = i >= 0
      if (started) running.push(...queue.splice(i, 1))
    }
    if (running.some((p) => p === serial)) assert.equal(running.length, 1)
    order.push(running.map((p) => (p === serial ? 'S' : 'p')).join(''))
    running.shift()
  }
  assert.equal(queue.length + running.length, 0)
  assert.ok(order.filter((o) => o === 'S').length === 2, order.join(' '))
})
