// What the lab kubelet holds for one pod it runs: node, network, containers and the record its status is built from.
import type { V1Pod } from '@kubernetes/client-node'
import type { LabNode } from '../network/topology.ts'
import type { ContainerRunner } from './container-runner.ts'
import type { ContainerRecord, PodRecord } from './pod-status.ts'

/** A container that could not be started (unknown image, missing ConfigMap…): it stays waiting. */
export interface BlockedContainer {
  record: ContainerRecord
}

/** One pod on one lab node. */
export class PodWorker {
  readonly uid: string
  readonly namespace: string
  readonly name: string
  readonly node: LabNode
  readonly hostNetwork: boolean
  readonly startTime: string
  /** Set once the pod network exists. */
  netns: string | undefined
  ip: string | undefined
  /** The network was created by us (not the node's own, for hostNetwork pods) and must be torn down. */
  ownsNetwork = false
  /** The pod's ServiceAccount files (token, ca.crt, namespace), when it mounts them. */
  serviceAccountDir: string | undefined
  terminating = false
  /** Containers in spec order: running ones, or blocked ones that never started. */
  containers: (ContainerRunner | BlockedContainer)[] = []

  constructor(pod: V1Pod, node: LabNode, startTime: string) {
    this.uid = pod.metadata?.uid ?? ''
    this.namespace = pod.metadata?.namespace ?? 'default'
    this.name = pod.metadata?.name ?? ''
    this.node = node
    this.hostNetwork = pod.spec?.hostNetwork === true
    this.startTime = startTime
  }

  // The record buildPodStatus() turns into the status.
  record(): PodRecord {
    return {
      hostIP: this.node.ip,
      ...(this.ip && this.netns ? { podIP: this.ip } : {}),
      startTime: this.startTime,
      sandboxReady: this.netns !== undefined,
      terminating: this.terminating,
      containers: this.containers.map((c) => c.record),
    }
  }

  // The runner of a container by name (or the first), when it was started.
  runner(container: string | undefined): ContainerRunner | undefined {
    const c =
      container === undefined ? this.containers[0] : this.containers.find((x) => x.record.name === container)
    return c && 'spec' in c ? c : undefined
  }
}
