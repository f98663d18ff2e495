import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chooseBackend } from './backend.ts'

const dump = (chains: string[], rules: number) =>
  [
    '*mangle',
    ...chains.map((c) => `:${c} - [0:0]`),
    ...Array.from({ length: rules }, (_, i) => `-A X -j Y${i}`),
  ].join('\n')

test('the kubelet hint chain decides first (nft checked before legacy), then the rule counts, nft on a tie', () => {
  assert.equal(
    chooseBackend({
      nftMangle: dump(['KUBE-IPTABLES-HINT'], 0),
      legacyAll: dump(['KUBE-IPTABLES-HINT'], 50),
      nftAll: '',
    }).backend,
    'nft',
  )
  assert.equal(
    chooseBackend({ nftMangle: '', legacyAll: dump(['KUBE-KUBELET-CANARY'], 0), nftAll: dump([], 50) })
      .backend,
    'legacy',
  )
  assert.equal(
    chooseBackend({ nftMangle: '', legacyAll: dump([], 12), nftAll: dump([], 3) }).backend,
    'legacy',
  )
  const tie = chooseBackend({ nftMangle: '', legacyAll: dump([], 0), nftAll: dump([], 0) })
  assert.deepEqual(tie, { backend: 'nft', reason: '0 nft rules >= 0 legacy rules' })
})
