// Records Events for a controller as upstream's event recorder does: a repeat of the same event (same object,
// type, reason and message) bumps count and lastTimestamp on the event already recorded instead of adding one.
import type { ControllerContext } from './controller.ts'
import { hasCode } from './objects.ts'
import { eventSeriesKey, newEvent, type EventObject, type EventSubject } from '../../../../kube/event.ts'
import { apiTime } from '../../../../kube/time.ts'

/** How many event series a recorder remembers for counting repeats (upstream's LRU size). */
const SERIES_CACHE_SIZE = 4096

/** Records events about objects on behalf of one component. */
export interface EventRecorder {
  // Records (or counts a repeat of) an event about subject.
  event(subject: EventSubject, type: 'Normal' | 'Warning', reason: string, message: string): void
}

// An event recorder for a component (deployment-controller, replicaset-controller, default-scheduler, …).
// An event that cannot be written because its namespace is going or gone is dropped, as upstream drops it;
// any other failure is logged, never thrown (an event never fails a reconcile).
export function eventRecorder(ctx: ControllerContext, component: string): EventRecorder {
  const series = new Map<string, { namespace: string; name: string }>()
  const remember = (key: string, ev: { namespace: string; name: string }): void => {
    series.delete(key)
    series.set(key, ev)
    if (series.size > SERIES_CACHE_SIZE) series.delete(series.keys().next().value as string)
  }
  return {
    event(subject, type, reason, message) {
      const now = apiTime(ctx.now()) as unknown as string
      const ev = newEvent({ subject, type, reason, message, component, now })
      const key = eventSeriesKey(ev)
      try {
        const seen = series.get(key)
        const prev = seen && ctx.store.get('events', seen.namespace, seen.name)
        if (prev) {
          const p = prev as unknown as EventObject
          ctx.store.update('events', { ...prev, count: (p.count ?? 1) + 1, lastTimestamp: now })
          remember(key, seen)
          return
        }
        const created = ctx.store.create('events', ev)
        remember(key, { namespace: ev.metadata.namespace, name: created.metadata.name ?? '' })
      } catch (err) {
        // 403: the namespace is terminating; 404: it is gone. Either way the event has nowhere to go.
        if (hasCode(err, 403) || hasCode(err, 404)) return
        ctx.log(
          `${component}: recording event ${reason} about ${ev.involvedObject['kind']} ${ev.metadata.namespace}/${ev.involvedObject['name']}: ${(err as Error).message}`,
        )
      }
    },
  }
}
