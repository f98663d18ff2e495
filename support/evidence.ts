// What a failed scenario attaches: every node's iptables-save, the Service's EndpointSlices, pods, proxy logs, requests.
import { apiMessage } from '../src/kube/api-status.ts'
import type { ProbeRecord, SvcWorld } from './world.ts'
import { curlArgv, describeProbe, parseCurl } from './checks/http-probe.ts'

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
  if (world.probes.length > 0) {
    const nodeOf = new Map<string, string>()
    try {
      for (const p of (await world.core.listNamespacedPod({ namespace: ns })).items)
        nodeOf.set(p.metadata?.name ?? '', p.spec?.nodeName ?? '?')
    } catch (err) {
      out.push({
        name: 'requests-nodes.error.txt',
        mediaType: 'text/plain',
        content: `could not read which node each pod runs on, so requests.json names pods only: ${apiMessage(err)}`,
      })
    }
    out.push({
      name: 'requests.json',
      mediaType: 'application/json',
      content: JSON.stringify(withAnsweringNodes(world.probes, nodeOf), null, 2),
    })
  }
  const np = world.service?.spec?.ports?.find((p) => p.nodePort)?.nodePort
  if (np && world.cluster.capabilities.has('outside-client')) {
    // One request from outside to every node's IP at the node port, now: which nodes answer and which do not.
    await gather('node-port-on-every-node.txt', 'text/plain', async () => {
      const lines = await Promise.all(
        world.cluster.nodes.map(async (node) => {
          const url = `http://${node.ip}:${np}/`
          const argv = curlArgv(url, 3)
          return `${node.name}: ${describeProbe(parseCurl(url, await world.cluster.runOutside(argv)))}`
        }),
      )
      return lines.join('\n')
    })
  }
  return out
}

// The requests, each with the node of the pod that answered it (when a pod answered and is still known).
export function withAnsweringNodes(
  probes: readonly ProbeRecord[],
  nodeOf: ReadonlyMap<string, string>,
): Array<ProbeRecord & { answeredByNode?: string }> {
  return probes.map((p) => {
    const node = p.answeredBy ? nodeOf.get(p.answeredBy) : undefined
    return node ? { ...p, answeredByNode: node } : { ...p }
  })
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
