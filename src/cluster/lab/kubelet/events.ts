// Event objects the lab kubelet records about a pod (Failed, Pulled, Created, Started, Killing, BackOff, Unhealthy).
import { randomBytes } from 'node:crypto'
import type { KubeObject } from '../control-plane/apiserver/store.ts'

/** What one event says. */
export interface PodEventInput {
  pod: KubeObject
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  /** `spec.containers{name}` when the event is about one container. */
  container?: string
  nodeName: string
  now: string
}

// Builds an Event (core/v1) about a pod, reported by the kubelet of nodeName.
export function podEvent(e: PodEventInput): KubeObject {
  const m = e.pod.metadata
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${m.name ?? 'pod'}.${randomBytes(8).toString('hex')}`, namespace: m.namespace },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: m.namespace,
      name: m.name,
      uid: m.uid,
      ...(e.container ? { fieldPath: `spec.containers{${e.container}}` } : {}),
    },
    reason: e.reason,
    message: e.message,
    type: e.type,
    source: { component: 'kubelet', host: e.nodeName },
    reportingComponent: 'kubelet',
    reportingInstance: e.nodeName,
    firstTimestamp: e.now,
    lastTimestamp: e.now,
    count: 1,
  }
}
