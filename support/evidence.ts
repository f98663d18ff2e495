// What a failed scenario attaches: the requests and their traces, every node's rule diff and iptables-save, the
// Service's EndpointSlices, pods, kube-proxy and DNS logs with timestamps, conntrack and neighbours.
import { apiMessage } from '../src/kube/api-status.ts'
import { traceFailedRequests } from './evidence/gather-traces.ts'
import { ruleDiffReport } from './evidence/rule-diff.ts'
import { currentStep, ruleBaseline } from './evidence/scenario-state.ts'
import { evidenceSummary, type EvidenceFacts } from './evidence/summary.ts'
import type { ProbeRecord, SvcWorld } from './world.ts'
import { curlArgv, describeProbe, parseCurl } from './checks/http-probe.ts'

/** The kube-system components whose pods and logs are evidence: name and label selector. */
const COMPONENTS = [
  ['kube-proxy', 'k8s-app=kube-proxy'],
  ['dns', 'k8s-app=kube-dns'],
] as const

/** One attachment. */
export interface Evidence {
  name: string
  mediaType: string
  content: string
}

// Gathers the evidence, most telling first: the requests, the trace of each failed one, what changed in every node's
// rules, the Service's state, the logs, then the full dumps. A piece that cannot be read becomes a note saying why,
// never a silent gap.
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
  const nodes = world.cluster.nodes
  const access = world.cluster.capabilities.has('node-access')
  // Every node's full dump, read once: the traces, the diffs and the dump attachments all come from it.
  const failedAt = new Date()
  const saves = new Map<string, string>()
  const saveErrors = new Map<string, string>()
  if (access)
    await Promise.all(
      nodes.map(async (n) => {
        try {
          saves.set(n.name, (await world.cluster.runOnNode(n.name, ['iptables-save'])).stdout)
        } catch (err) {
          saveErrors.set(n.name, apiMessage(err))
        }
      }),
    )
  const ns = world.namespace
  if (world.probes.length > 0) out.push(await requestLog(world))
  const traces: Evidence[] = []
  try {
    traces.push(...(await traceFailedRequests(world, saves)))
    out.push(...traces)
  } catch (err) {
    out.push({
      name: 'proxy traces.error.txt',
      mediaType: 'text/plain',
      content: `could not trace the failed requests: ${apiMessage(err)}`,
    })
  }
  const diffs: Array<{ node: string; text: string }> = []
  for (const n of nodes) {
    const save = saves.get(n.name)
    if (save === undefined) continue
    const text = ruleDiffReport(n.name, ruleBaseline(world, n.name), { at: failedAt, save })
    diffs.push({ node: n.name, text })
    out.push({
      name: `iptables diff since the scenario start, ${n.name}.diff`,
      mediaType: 'text/plain',
      content: text,
    })
  }
  const np = world.service?.spec?.ports?.find((p) => p.nodePort)?.nodePort
  if (np && world.cluster.capabilities.has('outside-client')) {
    // One request from outside to every node's IP at the node port, now: which nodes answer and which do not.
    await gather('node-port-on-every-node.txt', 'text/plain', async () => {
      const lines = await Promise.all(
        nodes.map(async (node) => {
          const url = `http://${node.ip}:${np}/`
          const argv = curlArgv(url, 3)
          return `${node.name}: ${describeProbe(parseCurl(url, await world.cluster.runOutside(argv)))}`
        }),
      )
      return lines.join('\n')
    })
  }
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
  for (const [component, selector] of COMPONENTS) {
    await gather(`${component}-logs.txt`, 'text/plain', () => componentLogs(world, component, selector))
  }
  // The summary goes first: what the pieces above say, in a few lines.
  out.unshift({
    name: 'what the evidence shows.txt',
    mediaType: 'text/plain',
    content: evidenceSummary({
      step: currentStep(world),
      probes: world.probes,
      traces: traces
        .filter((t) => t.name.startsWith('proxy trace: '))
        .map((t) => ({ name: t.name, text: t.content })),
      diffs,
      ...(await serviceEndpoints(world)),
      components: await componentHealth(world),
    }),
  })
  if (!access) {
    out.push({
      name: 'node evidence.txt',
      mediaType: 'text/plain',
      content: `no node evidence: the ${world.cluster.provider} provider gives no access to the nodes here (capability node-access), so no iptables-save, rule diff, proxy trace, conntrack or neighbour table`,
    })
    return out
  }
  for (const n of nodes) {
    const save = saves.get(n.name)
    out.push(
      save === undefined
        ? {
            name: `iptables-save-${n.name}.error.txt`,
            mediaType: 'text/plain',
            content: `could not collect iptables-save-${n.name}.txt: ${saveErrors.get(n.name) ?? 'not read'}`,
          }
        : {
            name: `iptables-save-${n.name}.txt`,
            mediaType: 'text/plain',
            content: explainEmpty(
              save,
              `iptables-save on ${n.name} printed nothing: no table has a rule or chain (no kube-proxy has programmed this node)`,
            ),
          },
    )
    await gather(`conntrack-${n.name}.txt`, 'text/plain', async () =>
      explainEmpty(
        (await world.cluster.runOnNode(n.name, ['conntrack', '-L'])).stdout,
        `conntrack -L on ${n.name} listed no connections`,
      ),
    )
    await gather(`neighbours-${n.name}.txt`, 'text/plain', async () =>
      explainEmpty(
        (await world.cluster.runOnNode(n.name, ['ip', 'neigh', 'show'])).stdout,
        `ip neigh show on ${n.name} listed no neighbours`,
      ),
    )
  }
  return out
}

// The scenario's Service and its ready endpoints ({} when it has none or they cannot be read).
async function serviceEndpoints(world: SvcWorld): Promise<Pick<EvidenceFacts, 'service'>> {
  const name = world.service?.metadata?.name
  if (!name || !world.namespace) return {}
  try {
    const slices = await world.discovery.listNamespacedEndpointSlice({
      namespace: world.namespace,
      labelSelector: `kubernetes.io/service-name=${name}`,
    })
    const endpoints = slices.items.flatMap((s) => s.endpoints ?? [])
    const ready = endpoints.filter((e) => e.conditions?.ready !== false).map((e) => e.addresses[0] ?? '?')
    return { service: { name, ready, notReady: endpoints.length - ready.length } }
  } catch {
    // The endpointslices attachment says why they could not be read.
    return {}
  }
}

// kube-proxy and DNS pods in kube-system and how many are ready (a component that cannot be read is left out).
async function componentHealth(world: SvcWorld): Promise<EvidenceFacts['components']> {
  const out: Array<EvidenceFacts['components'][number]> = []
  for (const [name, selector] of COMPONENTS) {
    try {
      const pods = (await world.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: selector }))
        .items
      const ready = pods.filter((p) =>
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      out.push({ name, pods: pods.length, ready: ready.length })
    } catch {
      // Its logs attachment says why the pods could not be listed.
    }
  }
  return out
}

// requests.json: every request in order, each with the node of the pod that answered it.
async function requestLog(world: SvcWorld): Promise<Evidence> {
  const nodeOf = new Map<string, string>()
  let note = ''
  try {
    for (const p of (await world.core.listNamespacedPod({ namespace: world.namespace })).items)
      nodeOf.set(p.metadata?.name ?? '', p.spec?.nodeName ?? '?')
  } catch (err) {
    note = `could not read which node each pod runs on, so the requests name pods only: ${apiMessage(err)}`
  }
  const requests = withAnsweringNodes(world.probes, nodeOf)
  return {
    name: 'requests.json',
    mediaType: 'application/json',
    content: JSON.stringify(note ? { note, requests } : requests, null, 2),
  }
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
