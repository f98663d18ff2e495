import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ensurePayload } from './ensure-payload.ts'
import { JUMP_RULES, missingJumps } from './jump-rules.ts'
import { parseIptablesSave } from './restore-parse.ts'

const empty = parseIptablesSave(
  '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n',
)

test('a fresh node: every target chain declared once, every jump prepended in upstream order, canaries', () => {
  const payload = ensurePayload(empty, missingJumps(empty), { mangle: ['KUBE-PROXY-CANARY'] })
  const lines = payload.split('\n')
  assert.deepEqual(
    lines.filter((l) => l.startsWith('*')),
    ['*filter', '*nat', '*mangle'],
  )
  assert.equal(lines.filter((l) => l.startsWith('-I ')).length, JUMP_RULES.length)
  assert.equal(lines.filter((l) => l === ':KUBE-SERVICES - [0:0]').length, 2, 'once in filter, once in nat')
  assert.ok(payload.includes('*mangle\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n'))
  assert.ok(
    payload.includes(
      '-I INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    ),
  )
  // Read back (as -A), the inserted rules are exactly what missingJumps looks for: nothing would be missing.
  const after = parseIptablesSave(payload.replaceAll('-I ', '-A '))
  assert.deepEqual(missingJumps(after), [])
})

test('existing chains are never declared (that would flush them); only the missing jump is inserted', () => {
  const saved = parseIptablesSave(
    '*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-X\nCOMMIT\n',
  )
  const missing = JUMP_RULES.filter((j) => j.table === 'nat' && j.from === 'PREROUTING')
  assert.equal(
    ensurePayload(saved, missing, {}),
    '*nat\n-I PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\nCOMMIT\n',
  )
  assert.equal(ensurePayload(saved, [], {}), '', 'nothing missing: no restore at all')
})
