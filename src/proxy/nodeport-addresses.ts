// --nodeport-addresses: which of the node's addresses accept node ports, and whether localhost node ports stay on.
import { canonicalIPOf, familyCidrContains, familyOf, parseFamilyCidr, type IPFamily } from './ip-family.ts'

/** The node-port addresses picked from the candidates, and the resulting localhost node-port setting. */
export interface NodePortAddresses {
  ips: string[]
  localhostNodePorts: boolean
}

// Picks the candidate addresses of the family (the node's interface addresses; loopback counts) inside the entries'
// CIDRs of that family; "primary" picks the node IPs. As upstream's NewNodePortAddresses(family, …): entries of the
// other family are dropped, and when none is left every local address of the family is used (undefined: addrtype
// LOCAL). Localhost node ports stay on only on IPv4 with 127.0.0.1 picked. Unparseable entries are skipped.
export function pickNodePortAddresses(
  entries: readonly string[],
  candidates: readonly string[],
  nodeIPs: readonly string[],
  localhostNodePorts: boolean,
  family: IPFamily = 'IPv4',
): NodePortAddresses | undefined {
  const mine = entries.filter((e) => e === 'primary' || familyOf(e) === family)
  if (mine.length === 0) return undefined
  const ofFamily = (list: readonly string[]) =>
    list.map((ip) => canonicalIPOf(ip, family)).filter((ip): ip is string => ip !== undefined)
  const picked = new Set<string>()
  for (const e of mine) {
    if (e === 'primary') {
      for (const ip of ofFamily(nodeIPs)) picked.add(ip)
      continue
    }
    const c = parseFamilyCidr(e, family)
    if (!c) continue
    for (const ip of ofFamily(candidates)) if (familyCidrContains(c, ip)) picked.add(ip)
  }
  return {
    ips: [...picked].sort(),
    localhostNodePorts: family === 'IPv4' && localhostNodePorts && picked.has('127.0.0.1'),
  }
}
