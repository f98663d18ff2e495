// The scheduler: binds pending pods to the feasible node running the fewest pods, or marks them Unschedulable
// with upstream's "0/N nodes are available: …" message.
import type { V1Node, V1Pod, V1PodCondition } from '@kubernetes/client-node'
import type { Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue, sortedByName } from './controller.ts'
import { eventRecorder, type EventRecorder } from './event-recorder.ts'
import { unfitReason } from './node-fit.ts'
import { as, hasCode, isPodTerminal, toKube } from './objects.ts'
import { objectKey } from '../../../../kube/object-key.ts'
import { apiTime, timeOf } from '../../../../kube/time.ts'

/** The outcome of scheduling one pod. */
export type ScheduleResult = { node: string } | { message: string }

// Picks a node for a pod: among nodes it fits, the one with the fewest pods (ties by name).
export function schedulePod(
  pod: V1Pod,
  nodes: V1Node[],
  podsPerNode: ReadonlyMap<string, number>,
): ScheduleResult {
  if (nodes.length === 0) return { message: 'no nodes available to schedule pods' }
  const reasons = new Map<string, number>()
  const feasible: string[] = []
  for (const node of nodes) {
    const why = unfitReason(pod.spec, node)
    if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1)
    else feasible.push(node.metadata?.name ?? '')
  }
  if (feasible.length > 0) {
    feasible.sort((a, b) => (podsPerNode.get(a) ?? 0) - (podsPerNode.get(b) ?? 0) || a.localeCompare(b))
    return { node: feasible[0]! }
  }
  const parts = [...reasons].map(([reason, n]) => `${n} ${reason}`).sort()
  return { message: `0/${nodes.length} nodes are available: ${parts.join(', ')}.` }
}

// Whether the default scheduler should place this pod now.
export function needsScheduling(pod: V1Pod): boolean {
  const scheduler = pod.spec?.schedulerName ?? 'default-scheduler'
  return (
    !pod.spec?.nodeName &&
    !pod.metadata?.deletionTimestamp &&
    !isPodTerminal(pod) &&
    scheduler === 'default-scheduler'
  )
}

function withScheduledCondition(pod: V1Pod, cond: V1PodCondition): V1PodCondition[] | undefined {
  const conditions = pod.status?.conditions ?? []
  const prev = conditions.find((c) => c.type === 'PodScheduled')
  if (prev && prev.status === cond.status && prev.reason === cond.reason && prev.message === cond.message)
    return undefined
  const next = {
    ...cond,
    lastTransitionTime: prev?.status === cond.status ? prev.lastTransitionTime : cond.lastTransitionTime,
  }
  return [...conditions.filter((c) => c.type !== 'PodScheduled'), next]
}

// Schedules every pending pod, oldest first, counting each binding for the next pod.
export function scheduleAll(
  store: Store,
  now: Date,
  nodes: V1Node[],
  pods: V1Pod[],
  events: EventRecorder,
): void {
  const perNode = new Map<string, number>()
  for (const p of pods) {
    const n = p.spec?.nodeName
    if (n && !isPodTerminal(p)) perNode.set(n, (perNode.get(n) ?? 0) + 1)
  }
  const pending = pods
    .filter(needsScheduling)
    .sort(
      (a, b) =>
        timeOf(a.metadata?.creationTimestamp) - timeOf(b.metadata?.creationTimestamp) ||
        objectKey(a.metadata).localeCompare(objectKey(b.metadata)),
    )
  for (const pod of pending) {
    const ns = pod.metadata?.namespace
    const name = pod.metadata?.name ?? ''
    const result = schedulePod(pod, nodes, perNode)
    try {
      if ('node' in result) {
        const bound = as<V1Pod>(
          store.update('pods', toKube({ ...pod, spec: { ...pod.spec!, nodeName: result.node } })),
        )
        perNode.set(result.node, (perNode.get(result.node) ?? 0) + 1)
        events.event(
          toKube(bound),
          'Normal',
          'Scheduled',
          `Successfully assigned ${ns}/${name} to ${result.node}`,
        )
        const conditions = withScheduledCondition(bound, {
          type: 'PodScheduled',
          status: 'True',
          lastTransitionTime: apiTime(now),
        })
        if (conditions)
          store.update('pods', toKube({ ...bound, status: { ...bound.status, conditions } }), {
            subresource: 'status',
          })
      } else {
        const conditions = withScheduledCondition(pod, {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: result.message,
          lastTransitionTime: apiTime(now),
        })
        const status = { ...pod.status, phase: pod.status?.phase ?? 'Pending', conditions }
        if (conditions) {
          store.update('pods', toKube({ ...pod, status }), { subresource: 'status' })
          events.event(toKube(pod), 'Warning', 'FailedScheduling', result.message)
        }
      }
    } catch (err) {
      if (hasCode(err, 404)) continue
      throw new Error(`scheduling pod ${ns}/${name} failed: ${(err as Error).message}`, { cause: err })
    }
  }
}

// Starts the scheduler: runs when a pod needs a node or nodes change.
export function startScheduler(ctx: ControllerContext): RunningController {
  const nodes = ctx.informers.for('nodes')
  const pods = ctx.informers.for('pods')
  const events = eventRecorder(ctx, 'default-scheduler')
  const queue = controllerQueue('scheduler', ctx, () =>
    scheduleAll(
      ctx.store,
      ctx.now(),
      sortedByName(nodes.list()).map((o) => as<V1Node>(o)),
      pods.list().map((o) => as<V1Pod>(o)),
      events,
    ),
  )
  pods.addHandler({
    onAdd: (o) => {
      if (needsScheduling(as<V1Pod>(o))) queue.add('pending')
    },
    onUpdate: (_o, n) => {
      if (needsScheduling(as<V1Pod>(n))) queue.add('pending')
    },
    onDelete: () => queue.add('pending'),
  })
  nodes.addHandler({
    onAdd: () => queue.add('pending'),
    onUpdate: () => queue.add('pending'),
    onDelete: () => queue.add('pending'),
  })
  return { stop: () => queue.stop() }
}
