// Reading the outside client's own address from `ip -4 -o addr show scope global`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { firstGlobalIPv4 } from './traffic.ts'

test('the first global address is taken; none is undefined', () => {
  const out =
    '2: eth0    inet 172.18.0.100/16 brd 172.18.255.255 scope global eth0\\       valid_lft forever preferred_lft forever\n'
  assert.equal(firstGlobalIPv4(out), '172.18.0.100')
  assert.equal(firstGlobalIPv4(''), undefined)
})
