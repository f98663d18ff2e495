// Starts every lab controller in-process against the object store.
import type { Store } from '../apiserver/store.ts'
import { startBootstrapController } from './bootstrap.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { startDaemonSetController } from './daemonset.ts'
import { startDeploymentController } from './deployment.ts'
import { startEndpointSliceController } from './endpointslice.ts'
import { startEndpointsController } from './endpoints.ts'
import { startEndpointSliceMirroringController } from './endpointslice-mirroring.ts'
import { startGarbageCollector } from './garbage-collector.ts'
import { InformerSet } from './informer.ts'
import { startLoadBalancerController } from './load-balancer.ts'
import { startNamespaceController } from './namespace.ts'
import { startReplicaSetController } from './replicaset.ts'
import { startScheduler } from './scheduler.ts'
import { realClock, type Clock } from '../../../../wait/clock.ts'

/** Configuration of the lab's controllers. */
export interface ControllerConfig {
  /** The endpoint of default/kubernetes (the control-plane node's address and the API server's port). */
  apiServer: { host: string; port: number }
  /** The service CIDR; `kubernetes` gets its first address. @default '10.96.0.0/16' */
  serviceCIDR?: string
  /** Where reconcile failures are reported, one line each. @default a line on stderr prefixed `controllers: ` */
  log?: (line: string) => void
  /**
   * LoadBalancer ingress IPs, an inclusive range `first-last` (the lab: 172.18.255.200-172.18.255.250, on the lab
   * network). Without it no controller serves LoadBalancer Services (their EXTERNAL-IP stays <pending>).
   */
  loadBalancerPool?: string
  /** The clock for timestamps, minReadySeconds, requeue delays and retry backoff. @default realClock */
  clock?: Clock
}

/** The running controllers. */
export interface RunningControllers {
  // Stops every informer and work queue.
  stop(): void
  // Resolves once every work queue is idle at the same time: what the controllers were told has been done
  // (keys waiting for a delay on the clock do not count). Throws after `maxRounds` rounds of one queue
  // waking another, naming the queues still busy.
  idle(maxRounds?: number): Promise<void>
}

// Starts bootstrap, namespace, garbage-collector, deployment, replicaset, daemonset, scheduler, EndpointSlice,
// Endpoints, EndpointSlice mirroring and (with a pool) load-balancer controllers; stop() stops their watches and queues.
export function startControllers(store: Store, config: ControllerConfig): RunningControllers {
  const log = config.log ?? ((line: string) => process.stderr.write(`controllers: ${line}\n`))
  const clock = config.clock ?? realClock
  const informers = new InformerSet(
    store,
    (err) => log(err instanceof Error ? err.message : String(err)),
    clock,
  )
  const now = (): Date => new Date(clock.now())
  const ctx: ControllerContext = { store, informers, log, now, clock, queues: [] }
  const running: RunningController[] = [
    startBootstrapController(ctx, { apiServer: config.apiServer, serviceCIDR: config.serviceCIDR }),
    startNamespaceController(ctx),
    startGarbageCollector(ctx),
    startDeploymentController(ctx),
    startReplicaSetController(ctx),
    startDaemonSetController(ctx),
    startScheduler(ctx),
    startEndpointSliceController(ctx),
    startEndpointsController(ctx),
    startEndpointSliceMirroringController(ctx),
    ...(config.loadBalancerPool ? [startLoadBalancerController(ctx, config.loadBalancerPool)] : []),
  ]
  informers.start()
  return {
    stop: () => {
      informers.stop()
      for (const c of running) c.stop()
    },
    idle: async (maxRounds = 1000) => {
      for (let round = 0; ; round++) {
        const busy = ctx.queues.filter((q) => q.queue.busy)
        if (busy.length === 0) return
        if (round >= maxRounds)
          throw new Error(
            `controllers still busy after ${maxRounds} rounds: ${busy.map((q) => q.name).join(', ')}`,
          )
        await Promise.all(busy.map((q) => q.queue.whenIdle()))
      }
    },
  }
}
