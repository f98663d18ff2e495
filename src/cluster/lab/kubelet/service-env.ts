// The Docker-links-style Service environment variables kubelet injects (FOO_SERVICE_HOST, FOO_PORT_80_TCP_ADDR, …).
import type { KubeObject } from '../control-plane/apiserver/store.ts'

interface ServicePort {
  name?: string
  port: number
  protocol?: string
}

// Upper-cases a name and turns dashes into underscores, as kubelet's makeEnvVariableName.
function envName(name: string): string {
  return name.toUpperCase().replaceAll('-', '_')
}

// The variables for one Service (empty for headless and ExternalName Services).
export function serviceEnvVars(service: KubeObject): [string, string][] {
  const spec = (service.spec ?? {}) as { clusterIP?: string; ports?: ServicePort[] }
  const ip = spec.clusterIP
  if (!ip || ip === 'None') return []
  const ports = spec.ports ?? []
  const p = envName(service.metadata.name ?? '')
  const hostPort = (port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`)
  const out: [string, string][] = [[`${p}_SERVICE_HOST`, ip]]
  const first = ports[0]
  if (first) out.push([`${p}_SERVICE_PORT`, String(first.port)])
  for (const sp of ports) if (sp.name) out.push([`${p}_SERVICE_PORT_${envName(sp.name)}`, String(sp.port)])
  if (first) out.push([`${p}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${hostPort(first.port)}`])
  for (const sp of ports) {
    const proto = (sp.protocol ?? 'TCP').toLowerCase()
    const prefix = `${p}_PORT_${sp.port}_${proto.toUpperCase()}`
    out.push([prefix, `${proto}://${hostPort(sp.port)}`])
    out.push([`${prefix}_PROTO`, proto])
    out.push([`${prefix}_PORT`, String(sp.port)])
    out.push([`${prefix}_ADDR`, ip])
  }
  return out
}

// The Service variables for a pod: `default/kubernetes` always, every Service of its namespace when service links are on.
export function podServiceEnv(
  services: readonly KubeObject[],
  podNamespace: string,
  enableServiceLinks: boolean,
): [string, string][] {
  const chosen = new Map<string, KubeObject>()
  for (const s of services) {
    if (s.metadata.namespace === podNamespace && enableServiceLinks) chosen.set(s.metadata.name ?? '', s)
  }
  const master = services.find((s) => s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')
  if (master && !chosen.has('kubernetes')) chosen.set('kubernetes', master)
  const names = [...chosen.keys()].sort()
  return names.flatMap((n) => serviceEnvVars(chosen.get(n)!))
}
