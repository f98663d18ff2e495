// Name lookups from inside the cluster: a pod with real dig (nicolaka/netshoot), run through the exec API, and the
// DNS checks the steps make (short name, name.namespace, FQDN, SRV, headless, ExternalName, NXDOMAIN).
import { check, eventually } from '../checks/check-failed.ts'
import type { SvcWorld } from '../world.ts'
import { execIn } from './client-pod.ts'
import { deploymentPods, describePod } from './workloads.ts'

/** The DNS client pod's name in every scenario. */
export const DNS_CLIENT_POD = 'dns-client'

/** What dig printed: the status and the answer records (whitespace-normalised presentation lines). */
export interface DigAnswer {
  status: string
  answer: string[]
}

/** The namespace of the DNS client pod the lookups run in, when it is not the scenario's own. */
const clientNamespaces = new WeakMap<SvcWorld, string>()

// The namespace of the DNS client pod the lookups run in (the last one created).
function clientNamespace(w: SvcWorld): string {
  return clientNamespaces.get(w) ?? w.namespace
}

// Creates the DNS client pod (dig, curl; sleeping), in the scenario's namespace unless another is given, and waits
// until it runs and is ready; the lookups after it run in this pod.
export async function createDnsClientPod(w: SvcWorld, namespace = w.namespace): Promise<void> {
  clientNamespaces.set(w, namespace)
  await w.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: DNS_CLIENT_POD, labels: { role: 'dns-client' } },
      spec: { containers: [{ name: 'tools', image: 'nicolaka/netshoot', command: ['sleep', 'infinity'] }] },
    },
  })
  await eventually({
    what: `pod ${namespace}/${DNS_CLIENT_POD} to run and be ready`,
    timeoutMs: 60_000,
    check: async () => {
      const p = await w.core.readNamespacedPod({ name: DNS_CLIENT_POD, namespace })
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
      return p.status?.phase === 'Running' && ready
        ? { done: true, value: p }
        : { done: false, seen: describePod(p) }
    },
  })
}

// Reads `dig +comments +answer` output.
export function parseDig(stdout: string): DigAnswer {
  const status = /status: (\w+)/.exec(stdout)?.[1] ?? 'no answer'
  const answer = stdout
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith(';'))
    .map((l) => l.trim().split(/\s+/).join(' '))
  return { status, answer }
}

// Asks the pod's resolver (its resolv.conf: search path, ndots:5) with dig +search.
export async function digFromPod(w: SvcWorld, name: string, type = 'A'): Promise<DigAnswer> {
  const argv = [
    'dig',
    '+search',
    '+nocmd',
    '+noall',
    '+comments',
    '+answer',
    '+time=2',
    '+tries=2',
    name,
    type,
  ]
  const r = await execIn(w, DNS_CLIENT_POD, argv, 15_000, clientNamespace(w))
  const a = parseDig(r.stdout)
  w.attach(`$ ${argv.join(' ')}\n${r.stdout}${r.stderr}`, {
    mediaType: 'text/plain',
    fileName: `dig ${name} ${type}`,
  })
  return a
}

// The names a step can use for the scenario's service: short, name.namespace, or fully qualified.
export function serviceName(w: SvcWorld, form: 'short' | 'namespaced' | 'fqdn', name?: string): string {
  const svc = name ?? w.requireService().metadata!.name!
  return form === 'short'
    ? svc
    : form === 'namespaced'
      ? `${svc}.${w.namespace}`
      : `${svc}.${w.namespace}.svc.cluster.local`
}

// Waits until `name` (type) answers as `expect` says; expect returns undefined when it is right, else what is wrong.
export async function checkLookup(
  w: SvcWorld,
  name: string,
  type: string,
  what: string,
  expect: (a: DigAnswer) => string | undefined,
): Promise<DigAnswer> {
  return eventually({
    what: `${name} ${type} from pod ${clientNamespace(w)}/${DNS_CLIENT_POD} to ${what}`,
    timeoutMs: 20_000,
    intervalMs: 500,
    check: async () => {
      const a = await digFromPod(w, name, type)
      const wrong = expect(a)
      return wrong === undefined
        ? { done: true, value: a }
        : { done: false, seen: `${a.status} [${a.answer.join('; ')}]: ${wrong}` }
    },
  })
}

// The rdata of the answer's records of one type.
const rdata = (a: DigAnswer, type: string) =>
  a.answer.filter((l) => l.split(' ')[3] === type).map((l) => l.split(' ').slice(4).join(' '))

// The name resolves (A) to exactly the scenario service's cluster IP.
export async function checkResolvesToClusterIP(w: SvcWorld, name: string): Promise<void> {
  const ip = w.requireService().spec!.clusterIP!
  await checkLookup(w, name, 'A', `resolve to the cluster IP ${ip}`, (a) =>
    a.status === 'NOERROR' && rdata(a, 'A').join() === ip ? undefined : `want NOERROR and A ${ip}`,
  )
}

// The name resolves (A) to the IPs of exactly the deployment's `count` pods.
export async function checkResolvesToPods(w: SvcWorld, name: string, count: number): Promise<void> {
  const pods = await deploymentPods(w)
  check(pods.length === count, `expected ${count} pods, found ${pods.length}`)
  const ips = pods.map((p) => p.status?.podIP ?? '?').sort()
  await checkLookup(w, name, 'A', `resolve to the pod IPs ${ips.join(', ')}`, (a) =>
    a.status === 'NOERROR' && rdata(a, 'A').sort().join() === ips.join()
      ? undefined
      : `want A ${ips.join(', ')}`,
  )
}

// `_<port>._tcp.<service FQDN>` has one SRV record: port `port` of the service's FQDN.
export async function checkSrv(w: SvcWorld, portName: string, port: number): Promise<void> {
  const fqdn = serviceName(w, 'fqdn')
  const want = `0 100 ${port} ${fqdn}.`
  await checkLookup(w, `_${portName}._tcp.${fqdn}.`, 'SRV', `be SRV ${want}`, (a) =>
    rdata(a, 'SRV').join() === want ? undefined : `want SRV ${want}`,
  )
}

// The name is a CNAME to `target`, followed by the A record of the scenario service's cluster IP.
export async function checkCnameToService(w: SvcWorld, name: string, target: string): Promise<void> {
  const ip = w.requireService().spec!.clusterIP!
  await checkLookup(w, name, 'A', `be a CNAME to ${target}. then A ${ip}`, (a) =>
    rdata(a, 'CNAME').join() === `${target}.` && rdata(a, 'A').join() === ip
      ? undefined
      : 'want CNAME then A',
  )
}

// The name does not exist: NXDOMAIN after the whole search path.
export async function checkNxdomain(w: SvcWorld, name: string): Promise<void> {
  await checkLookup(w, name, 'A', 'be NXDOMAIN', (a) =>
    a.status === 'NXDOMAIN' ? undefined : 'want NXDOMAIN',
  )
}

// A request to http://<name>/ from the DNS client pod is answered by one of the deployment's pods (hello-app).
export async function checkRequestByName(w: SvcWorld, name: string): Promise<void> {
  const pods = (await deploymentPods(w)).map((p) => p.metadata!.name!)
  await eventually({
    what: `http://${name}/ from pod ${clientNamespace(w)}/${DNS_CLIENT_POD} to be answered by one of ${pods.join(', ')}`,
    timeoutMs: 20_000,
    intervalMs: 500,
    check: async () => {
      const argv = ['curl', '-sS', '-m', '5', `http://${name}/`]
      const r = await execIn(w, DNS_CLIENT_POD, argv, 15_000, clientNamespace(w))
      const host = /Hostname: (\S+)/.exec(r.stdout)?.[1]
      return host && pods.includes(host)
        ? { done: true, value: host }
        : { done: false, seen: `curl exit ${r.exitCode}: ${(r.stdout + r.stderr).trim().slice(0, 200)}` }
    },
  })
}

// Creates a headless Service selecting the deployment's pods, with one named port.
export async function createHeadlessService(
  w: SvcWorld,
  name: string,
  port: number,
  portName: string,
): Promise<void> {
  const d = w.requireDeployment()
  const svc = await w.core.createNamespacedService({
    namespace: w.namespace,
    body: {
      metadata: { name },
      spec: { clusterIP: 'None', selector: d.labels, ports: [{ name: portName, port, targetPort: d.port }] },
    },
  })
  w.services.set(name, svc)
}

// Creates an ExternalName Service pointing at `target`.
export async function createExternalName(w: SvcWorld, name: string, target: string): Promise<void> {
  const svc = await w.core.createNamespacedService({
    namespace: w.namespace,
    body: { metadata: { name }, spec: { type: 'ExternalName', externalName: target } },
  })
  w.services.set(name, svc)
}
