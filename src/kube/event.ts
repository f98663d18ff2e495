// core/v1 Event objects as Kubernetes components record them (kubectl describe shows them under "Events:").
import { randomBytes } from 'node:crypto'

/** The object an event is about: what its involvedObject names. */
export interface EventSubject {
  apiVersion?: string
  kind?: string
  metadata?: { namespace?: string; name?: string; uid?: string; resourceVersion?: string }
}

/** What one event says and who says it. */
export interface EventInput {
  subject: EventSubject
  type: 'Normal' | 'Warning'
  /** UpperCamelCase, e.g. ScalingReplicaSet, SuccessfulCreate, FailedScheduling. */
  reason: string
  message: string
  /** source.component and reportingComponent: kubelet, deployment-controller, default-scheduler, … */
  component: string
  /** source.host and reportingInstance (the node, for the kubelet). */
  host?: string
  /** A part of the object, e.g. `spec.containers{app}`. */
  fieldPath?: string
  /** firstTimestamp and lastTimestamp, RFC 3339. */
  now: string
}

/** A core/v1 Event, as stored. */
export interface EventObject {
  apiVersion: 'v1'
  kind: 'Event'
  metadata: { name: string; namespace: string }
  involvedObject: Record<string, string>
  reason: string
  message: string
  type: string
  source: { component: string; host?: string }
  reportingComponent: string
  reportingInstance: string
  firstTimestamp: string
  lastTimestamp: string
  count: number
  [field: string]: unknown
}

// Builds a new Event (count 1) about a subject, in the subject's namespace (`default` for cluster-scoped ones,
// as upstream's recorder does), named `<subject>.<16 hex>`.
export function newEvent(e: EventInput): EventObject {
  const m = e.subject.metadata ?? {}
  const involvedObject: Record<string, string> = {}
  for (const [k, v] of [
    ['apiVersion', e.subject.apiVersion],
    ['kind', e.subject.kind],
    ['namespace', m.namespace],
    ['name', m.name],
    ['uid', m.uid],
    ['resourceVersion', m.resourceVersion],
    ['fieldPath', e.fieldPath],
  ] as const)
    if (v) involvedObject[k] = v
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${m.name ?? 'object'}.${randomBytes(8).toString('hex')}`,
      namespace: m.namespace || 'default',
    },
    involvedObject,
    reason: e.reason,
    message: e.message,
    type: e.type,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
    firstTimestamp: e.now,
    lastTimestamp: e.now,
    count: 1,
  }
}

// The key under which repeats of an event are counted instead of recorded again (upstream's EventAggregator
// key without the time): source, involved object, type, reason and message.
export function eventSeriesKey(ev: EventObject): string {
  const o = ev.involvedObject
  return [
    ev.source.component,
    ev.source.host ?? '',
    o['kind'],
    o['namespace'],
    o['name'],
    o['uid'],
    o['fieldPath'],
  ]
    .concat([ev.type, ev.reason, ev.message])
    .map((s) => s ?? '')
    .join('\u0000')
}
