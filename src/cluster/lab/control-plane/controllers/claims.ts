// Pure ownership claims as upstream's ControllerRefManager makes them: a controller adopts the orphans its
// selector matches and releases the objects it controls that its selector no longer matches.
import type { V1ObjectMeta } from '@kubernetes/client-node'
import { controllerRef } from './objects.ts'

/** What a controller does to the objects it may own: names to adopt and to release. */
export interface ClaimPlan {
  adopt: string[]
  release: string[]
}

/** The controller claiming: its uid, whether it is being deleted, and which labels its selector matches. */
export interface Claimant {
  uid: string | undefined
  deleting: boolean
  matches: (labels: Record<string, string> | undefined) => boolean
}

// Plans claims over candidate objects (upstream ClaimObject): an orphan that matches and is not being deleted is
// adopted; an object this controller controls that no longer matches is released. A controller being deleted
// neither adopts nor releases; objects other controllers own are left alone.
export function planClaims(owner: Claimant, objs: { metadata?: V1ObjectMeta }[]): ClaimPlan {
  const plan: ClaimPlan = { adopt: [], release: [] }
  if (owner.deleting || !owner.uid) return plan
  for (const o of objs) {
    const ref = controllerRef(o.metadata)
    const name = o.metadata?.name ?? ''
    const matches = owner.matches(o.metadata?.labels)
    if (ref?.uid === owner.uid) {
      if (!matches) plan.release.push(name)
    } else if (!ref && matches && o.metadata?.deletionTimestamp === undefined) plan.adopt.push(name)
  }
  return plan
}
