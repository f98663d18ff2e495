// Unit tests of ownership claims (adopt matching orphans, release what no longer matches).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planClaims } from './claims.ts'

const obj = (name: string, app: string, owner?: string, deleting = false) => ({
  metadata: {
    name,
    labels: { app },
    ...(owner
      ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: owner, uid: owner, controller: true }] }
      : {}),
    ...(deleting ? { deletionTimestamp: new Date() } : {}),
  },
})
const matchesWeb = (l: Record<string, string> | undefined): boolean => l?.['app'] === 'web'

describe('planClaims', () => {
  const objs = [
    obj('orphan', 'web'),
    obj('orphan-other', 'db'),
    obj('orphan-going', 'web', undefined, true),
    obj('mine', 'web', 'me'),
    obj('mine-relabelled', 'db', 'me'),
    obj('theirs', 'web', 'them'),
  ]
  it('adopts matching orphans that are not going and releases its own that no longer match', () => {
    assert.deepEqual(planClaims({ uid: 'me', deleting: false, matches: matchesWeb }, objs), {
      adopt: ['orphan'],
      release: ['mine-relabelled'],
    })
  })
  it('does nothing while the controller is being deleted', () => {
    assert.deepEqual(planClaims({ uid: 'me', deleting: true, matches: matchesWeb }, objs), {
      adopt: [],
      release: [],
    })
  })
})
