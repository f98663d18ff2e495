// The lab's load-balancer controller (the part cloud-provider-kind or MetalLB plays): writes the ingress IP of
// every LoadBalancer Service into status.loadBalancer, so `kubectl get svc` shows an EXTERNAL-IP. The lab
// network routes the pool from the outside client to a node, where kube-proxy's rules for the IP take over.
import type { V1Service } from '@kubernetes/client-node'
import type { Store } from '../apiserver/store.ts'
import type { ControllerContext, RunningController } from './controller.ts'
import { controllerQueue } from './controller.ts'
import { eventRecorder, type EventRecorder } from './event-recorder.ts'
import { assignIngressIPs, currentIngressIP, wantsLoadBalancer } from './load-balancer-plan.ts'
import { as, toKube } from './objects.ts'
import { objectKey, splitKey } from '../../../../kube/object-key.ts'
import { parseIPv4, parseIPv4Range, type IPv4Range } from '../../../../kube/ip.ts'

// The informer index of Services by spec.type.
export const SERVICE_TYPE_INDEX = 'service-type'

// Parses the pool option ("first-last"), throwing a TypeError that names the option and the value.
export function parsePool(text: string): IPv4Range {
  const pool = parseIPv4Range(text)
  if (!pool)
    throw new TypeError(
      `loadBalancerPool must be an IPv4 range like 172.18.255.200-172.18.255.250, got ${JSON.stringify(text)}`,
    )
  return pool
}

// Syncs one Service's status.loadBalancer with its assignment among all LoadBalancer Services.
export function syncLoadBalancer(
  store: Store,
  key: string,
  pool: IPv4Range,
  loadBalancers: () => V1Service[],
  events: EventRecorder,
): void {
  const { namespace, name } = splitKey(key)
  const obj = store.get('services', namespace, name)
  if (!obj) return
  const svc = as<V1Service>(obj)
  const held = currentIngressIP(svc)
  const writeIngress = (ingress: { ip: string }[]): void => {
    const status = { ...svc.status, loadBalancer: ingress.length ? { ingress } : {} }
    store.update('services', toKube({ ...svc, status }), { subresource: 'status' })
  }
  if (!wantsLoadBalancer(svc)) {
    // No longer a LoadBalancer: take back the pool IP it held (a loadBalancerClass Service is someone else's).
    const n = held === undefined ? undefined : parseIPv4(held)
    const ours = n !== undefined && n >= pool.first && n <= pool.last
    if (ours && svc.spec?.type !== 'LoadBalancer' && !svc.metadata?.deletionTimestamp) {
      events.event(obj, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer')
      writeIngress([])
      events.event(obj, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer')
    }
    return
  }
  const got = assignIngressIPs(loadBalancers(), pool).get(key)
  if (!got) return
  if ('error' in got) {
    events.event(
      obj,
      'Warning',
      'SyncLoadBalancerFailed',
      `Error syncing load balancer: failed to ensure load balancer: ${got.error}`,
    )
    return
  }
  const ingress = svc.status?.loadBalancer?.ingress ?? []
  if (held === got.ip && ingress.length === 1) return
  events.event(obj, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer')
  writeIngress([{ ip: got.ip }])
  events.event(obj, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer')
}

// Starts the load-balancer controller over a pool ("first-last"): LoadBalancer Services, all re-synced when one
// goes or stops being a LoadBalancer (its IP may be what a waiting one needs).
export function startLoadBalancerController(ctx: ControllerContext, poolText: string): RunningController {
  const pool = parsePool(poolText)
  const services = ctx.informers.for('services')
  services.addIndex(SERVICE_TYPE_INDEX, (o) => [as<V1Service>(o).spec?.type ?? 'ClusterIP'])
  const loadBalancers = (): V1Service[] =>
    services.byIndex(SERVICE_TYPE_INDEX, 'LoadBalancer').map((o) => as<V1Service>(o))
  const events = eventRecorder(ctx, 'service-controller')
  const queue = controllerQueue('load-balancer', ctx, (key) =>
    syncLoadBalancer(ctx.store, key, pool, loadBalancers, events),
  )
  const isLB = (o: V1Service): boolean => o.spec?.type === 'LoadBalancer'
  const all = (): void => {
    for (const s of loadBalancers()) queue.add(objectKey(s.metadata))
  }
  services.addHandler({
    onAdd: (o) => {
      if (isLB(as<V1Service>(o))) queue.add(objectKey(o.metadata))
    },
    onUpdate: (o, n) => {
      const was = as<V1Service>(o)
      const now = as<V1Service>(n)
      if (isLB(was) || isLB(now) || currentIngressIP(now)) queue.add(objectKey(n.metadata))
      if (isLB(was) && (!wantsLoadBalancer(now) || currentIngressIP(was) !== currentIngressIP(now))) all()
    },
    onDelete: (o) => {
      if (isLB(as<V1Service>(o))) all()
    },
  })
  return { stop: () => queue.stop() }
}
