// What a failed scenario attaches: every node's iptables-save, the Service's EndpointSlices, pods, proxy logs, requests.
import { apiMessage } from '../src/kube/api-status.ts'
import type { SvcWorld } from './world.ts'

/** One attachment. */
export interface Evidence {
  name: string
  mediaType: string
  content: string
}

// Gathers the evidence; a piece that cannot be read becomes a note saying why, never a silent gap.
export async function collectEvidence(world: SvcWorld): Promise<Evidence[]> {
  const out: Evidence[] = []
  const gather = async (name: string, mediaType: string, read: () => Promise<string>) => {
    try {
      out.push({ name, mediaType, content: explainEmpty(await read(), `${name} was empty`) })
    } catch (err) {
      out.push({
        name: `${name}.error.txt`,
        mediaType: 'text/plain',
        content: `could not collect ${name}: ${apiMessage(err)}`,
      })
    }
  }
  for (const node of world.cluster.nodes) {
    await gather(`iptables-save-${node.name}.txt`, 'text/plain', async () =>
      explainEmpty(
        (await world.cluster.runOnNode(node.name, ['iptables-save'])).stdout,
        `iptables-save on ${node.name} printed nothing: no table has a rule or chain (no kube-proxy has programmed this node)`,
      ),
    )
    await gather(`conntrack-${node.name}.txt`, 'text/plain', async () =>
      explainEmpty(
        (await world.cluster.runOnNode(node.name, ['conntrack', '-L'])).stdout,
        `conntrack -L on ${node.name} listed no connections`,
      ),
    )
    await gather(`neighbours-${node.name}.txt`, 'text/plain', async () =>
      explainEmpty(
        (await world.cluster.runOnNode(node.name, ['ip', 'neigh', 'show'])).stdout,
        `ip neigh show on ${node.name} listed no neighbours`,
      ),
    )
  }
  const ns = world.namespace
  if (ns) {
    await gather('endpointslices.json', 'application/json', async () =>
      JSON.stringify((await world.discovery.listNamespacedEndpointSlice({ namespace: ns })).items, null, 2),
    )
    await gather('services.json', 'application/json', async () =>
      JSON.stringify((await world.core.listNamespacedService({ namespace: ns })).items, null, 2),
    )
    await gather('pods.txt', 'text/plain', async () =>
      (await world.core.listNamespacedPod({ namespace: ns })).items
        .map(
          (p) =>
            `${p.metadata?.name}\t${p.status?.phase}\t${p.status?.podIP ?? '-'}\t${p.spec?.nodeName ?? '-'}\tready=${p.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '?'}`,
        )
        .join('\n'),
    )
  }
  for (const [component, selector] of [
    ['kube-proxy', 'k8s-app=kube-proxy'],
    ['dns', 'k8s-app=kube-dns'],
  ] as const) {
    await gather(`${component}-logs.txt`, 'text/plain', () => componentLogs(world, component, selector))
  }
  if (world.probes.length > 0)
    out.push({
      name: 'requests.json',
      mediaType: 'application/json',
      content: JSON.stringify(world.probes, null, 2),
    })
  return out
}

// The text itself, or a sentence saying why it is empty: the report never shows a 0-byte attachment.
export function explainEmpty(text: string, why: string): string {
  return text.trim() === '' ? `(empty) ${why}` : text
}

// The last lines of each kube-system pod of a component, with timestamps, headed by pod and node.
async function componentLogs(world: SvcWorld, component: string, selector: string): Promise<string> {
  const pods = (await world.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: selector }))
    .items
  if (pods.length === 0) return `no ${component} pods in kube-system (label ${selector})`
  const logs = await Promise.all(
    pods.map(async (p) => {
      const text = await world.core.readNamespacedPodLog({
        name: p.metadata!.name!,
        namespace: 'kube-system',
        tailLines: 40,
        timestamps: true,
      })
      return `== ${p.metadata?.name} on ${p.spec?.nodeName}\n${explainEmpty(text, 'the pod has logged nothing')}`
    }),
  )
  return logs.join('\n')
}
