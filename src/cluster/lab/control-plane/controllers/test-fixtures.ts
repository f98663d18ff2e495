// Test helpers: lab-like nodes and pod status changes written through the store, as the lab kubelet would.
import type { V1Deployment, V1Node, V1Pod, V1Service } from '@kubernetes/client-node'
import assert from 'node:assert/strict'
import { afterEach, beforeEach } from 'node:test'
import { defaultAdmission } from '../apiserver/default-admission.ts'
import { MemoryStore } from '../apiserver/memory-store.ts'
import { startControllers, type RunningControllers } from './start-controllers.ts'
import { FakeClock } from '../../../../wait/clock.ts'
import type { KubeObject, Store } from '../apiserver/store.ts'
import { as, toKube } from './objects.ts'

// A Ready node; control-plane nodes carry the control-plane taint and role label.
export function makeNode(
  name: string,
  opts: { controlPlane?: boolean; ready?: boolean; zone?: string } = {},
): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...(opts.zone ? { 'topology.kubernetes.io/zone': opts.zone } : {}),
      },
    },
    spec: opts.controlPlane
      ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
      : {},
    status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  }
}

// Creates the usual lab nodes: one tainted control-plane and two workers.
export function createLabNodes(store: Store): void {
  store.create('nodes', toKube(makeNode('lab-control-plane', { controlPlane: true })))
  store.create('nodes', toKube(makeNode('lab-worker')))
  store.create('nodes', toKube(makeNode('lab-worker2')))
}

// Marks a pod Running with an IP, Ready or not, through the status subresource.
export function setPodRunning(store: Store, pod: KubeObject, ip: string, ready = true): KubeObject {
  const cur = as<V1Pod>(store.get('pods', pod.metadata.namespace, pod.metadata.name ?? '')!)
  const conditions = [
    ...(cur.status?.conditions ?? []).filter((c) => c.type !== 'Ready'),
    { type: 'Ready', status: ready ? 'True' : 'False' },
  ]
  const status = { ...cur.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions }
  return store.update('pods', toKube({ ...cur, status }), { subresource: 'status' })
}

// Lists a resource in a namespace, typed.
export function listAs<T>(store: Store, resource: Parameters<Store['list']>[0], namespace?: string): T[] {
  return store.list(resource, namespace ? { namespace } : {}).items.map((o) => as<T>(o))
}

// The namespace the integration tests work in.
export const NS = 'svcnet-test'

// A Deployment of hello-app pods labelled app=<name> with a named container port `http` (8080).
export function deployment(name: string, replicas: number, image = 'hello-app:1.0'): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image, ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  }
}

// A ClusterIP Service on port 80 targeting the named port `http`.
export function service(name: string, selector: Record<string, string>): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: {
      selector,
      clusterIP: '10.96.1.1',
      ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  }
}

/** A fresh store with every controller running on a fake clock, for one test at a time. */
export interface ControllerHarness {
  readonly store: MemoryStore
  readonly clock: FakeClock
  // Resolves once every controller has done what it was told (see RunningControllers.idle).
  idle(): Promise<void>
  // Plays the kubelet: waits for the controllers, runs act(), and repeats while act() changed something.
  converge(act: () => boolean): Promise<void>
}

// The fake clock's start: a fixed, recent instant, so timestamps read like real ones.
export const CLOCK_START = Date.parse('2026-01-01T00:00:00Z')

// Registers beforeEach/afterEach that give each test a MemoryStore (real admission) with the controllers on a
// fake clock (and the load-balancer controller when given a pool), namespace NS and the lab nodes; a test fails when a controller logged a failure.
export function controllerHarness(opts: { loadBalancerPool?: string } = {}): ControllerHarness {
  let store: MemoryStore | undefined
  let clock = new FakeClock(CLOCK_START)
  let controllers: RunningControllers | undefined
  const logs: string[] = []
  beforeEach(() => {
    clock = new FakeClock(CLOCK_START)
    store = new MemoryStore({
      namespaces: [],
      admission: defaultAdmission(),
      now: () => new Date(clock.now()),
    })
    logs.length = 0
    controllers = startControllers(store, {
      apiServer: { host: '172.18.0.2', port: 6443 },
      log: (l) => logs.push(l),
      clock,
      ...(opts.loadBalancerPool ? { loadBalancerPool: opts.loadBalancerPool } : {}),
    })
    store.create('namespaces', toKube({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }))
    createLabNodes(store)
  })
  afterEach(() => {
    controllers?.stop()
    assert.deepEqual(logs, [], 'controllers logged no failures')
  })
  const running = (): RunningControllers => {
    if (!controllers) throw new Error('controllerHarness: used outside a test')
    return controllers
  }
  return {
    get store(): MemoryStore {
      if (!store) throw new Error('controllerHarness: store used outside a test')
      return store
    },
    get clock(): FakeClock {
      return clock
    },
    idle: () => running().idle(),
    converge: async (act) => {
      for (let round = 0; round < 100; round++) {
        await running().idle()
        if (!act()) return
      }
      throw new Error('converge: still acting after 100 rounds')
    },
  }
}
