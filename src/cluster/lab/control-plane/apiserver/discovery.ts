// Discovery documents kubectl reads: /version, /api, /apis and one APIResourceList per group/version.
import { RESOURCES, type ResourceInfo } from './resources.ts'

/** What /version reports. */
export interface VersionInfo {
  major: string
  minor: string
  gitVersion: string
  gitCommit: string
  gitTreeState: string
  buildDate: string
  goVersion: string
  compiler: string
  platform: string
}

// The default /version body: v1.34.0-svcnet.
export const DEFAULT_VERSION: VersionInfo = {
  major: '1',
  minor: '34',
  gitVersion: 'v1.34.0-svcnet',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'node',
  compiler: 'tsc',
  platform: 'linux/amd64',
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const singular = (kind: string) => kind.toLowerCase()

// The group/versions served: '' is the core group (v1).
export function groupVersions(): string[] {
  return [...new Set(Object.values(RESOURCES).map((r) => r.apiVersion))]
}

// `GET /api`: the core APIVersions.
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  }
}

// `GET /apis`: the APIGroupList of the named groups.
export function apiGroupList(): Record<string, unknown> {
  const groups = groupVersions()
    .filter((gv) => gv.includes('/'))
    .map((gv) => {
      const [group, version] = gv.split('/') as [string, string]
      const v = { groupVersion: gv, version }
      return { name: group, versions: [v], preferredVersion: v }
    })
  return { kind: 'APIGroupList', apiVersion: 'v1', groups }
}

// `GET /apis/{group}` for one served group, or undefined.
export function apiGroup(group: string): Record<string, unknown> | undefined {
  const g = (apiGroupList().groups as { name: string }[]).find((x) => x.name === group)
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...g }
}

function subresourceEntry(r: ResourceInfo, sub: string): Record<string, unknown> {
  if (sub === 'scale') {
    return {
      name: `${r.resource}/scale`,
      singularName: '',
      namespaced: r.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    }
  }
  if (sub === 'log')
    return {
      name: `${r.resource}/log`,
      singularName: '',
      namespaced: r.namespaced,
      kind: 'Pod',
      verbs: ['get'],
    }
  return {
    name: `${r.resource}/${sub}`,
    singularName: '',
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ['get', 'patch', 'update'],
  }
}

// The pod subresources served by upgrade.ts (WebSocket), listed as upstream lists them.
const POD_STREAM_SUBRESOURCES = [
  ['attach', 'PodAttachOptions'],
  ['exec', 'PodExecOptions'],
  ['portforward', 'PodPortForwardOptions'],
].map(([sub, kind]) => ({
  name: `pods/${sub}`,
  singularName: '',
  namespaced: true,
  kind,
  verbs: ['create', 'get'],
}))

// `GET /api/v1` or `/apis/{g}/{v}`: the APIResourceList, or undefined when not served.
export function apiResourceList(groupVersion: string): Record<string, unknown> | undefined {
  const rs = Object.values(RESOURCES).filter((r) => r.apiVersion === groupVersion)
  if (rs.length === 0) return undefined
  const resources = rs.flatMap((r) => [
    {
      name: r.resource,
      singularName: singular(r.kind),
      namespaced: r.namespaced,
      kind: r.kind,
      // Namespaces have no deletecollection upstream (and the lab refuses it).
      verbs: r.resource === 'namespaces' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    },
    ...r.subresources.map((s) => subresourceEntry(r, s)),
    ...(r.resource === 'pods' ? POD_STREAM_SUBRESOURCES : []),
  ])
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources }
}
