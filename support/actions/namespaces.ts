// A second namespace for a scenario (for what must live outside the scenario's own), removed after the scenario.
import type { SvcWorld } from '../world.ts'

const others = new WeakMap<SvcWorld, string>()

// The scenario's other namespace, `<scenario namespace>-other`: created on first use, deleted after the scenario.
export async function otherNamespace(w: SvcWorld): Promise<string> {
  const known = others.get(w)
  if (known) return known
  const name = `${w.namespace}-other`
  await w.core.createNamespace({
    body: { metadata: { name, labels: { 'svcnet.io/scenario': 'true' } } },
  })
  others.set(w, name)
  w.onCleanup(`delete namespace ${name}`, async () => {
    await w.core.deleteNamespace({ name })
  })
  return name
}

// Creates a selector-less Service with one TCP port in the scenario's other namespace.
export async function createServiceElsewhere(
  w: SvcWorld,
  name: string,
  type: string,
  port: number,
): Promise<void> {
  const namespace = await otherNamespace(w)
  await w.core.createNamespacedService({
    namespace,
    body: { metadata: { name }, spec: { type, ports: [{ port, protocol: 'TCP' }] } },
  })
}
