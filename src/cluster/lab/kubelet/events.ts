// Event objects the lab kubelet records about a pod (Failed, Pulled, Created, Started, Killing, BackOff, Unhealthy).
import type { KubeObject } from '../control-plane/apiserver/store.ts'
import { newEvent } from '../../../kube/event.ts'

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
  return newEvent({
    subject: { ...e.pod, apiVersion: 'v1', kind: 'Pod' },
    type: e.type,
    reason: e.reason,
    message: e.message,
    component: 'kubelet',
    host: e.nodeName,
    ...(e.container ? { fieldPath: `spec.containers{${e.container}}` } : {}),
    now: e.now,
  })
}
