// Proxiers for tests: one place for the options every proxier test sets the same way.
import { FakeClock } from '../wait/clock.ts'
import { makeService, makeSlice } from './iptables/test-objects.ts'
import { Proxier, type ProxierOptions } from './proxier.ts'

// A Proxier on `iptables` with upstream's default periods (--sync-period 30 s, --min-sync-period 1 s), a fake
// clock, node `test-node`, cluster CIDR 10.244.0.0/16 and no log; `overrides` replace any of them.
export function testProxier(overrides: Partial<ProxierOptions> & Pick<ProxierOptions, 'iptables'>): Proxier {
  return new Proxier({
    nodeName: 'test-node',
    clock: new FakeClock(1_700_000_000_000),
    syncPeriodMs: 30_000,
    minSyncPeriodMs: 1000,
    render: { clusterCIDR: '10.244.0.0/16' },
    log: () => {},
    ...overrides,
  })
}

// Feeds one NodePort Service (ns/a, 10.96.0.1:80, node port 30080) with one endpoint, marks every informer synced
// and runs a full sync.
export async function syncOneNodePortService(proxier: Proxier): Promise<void> {
  proxier.services.onAdd(
    makeService('ns', 'a', {
      type: 'NodePort',
      clusterIP: '10.96.0.1',
      ports: [{ port: 80, nodePort: 30080 }],
    }),
  )
  proxier.endpointSlices.onAdd(makeSlice('ns', 'a', 'x', [{ port: 80 }], [{ ip: '10.244.0.5' }]))
  for (const h of [proxier.services, proxier.endpointSlices, proxier.nodes]) h.onSynced()
  await proxier.syncProxyRules()
}
