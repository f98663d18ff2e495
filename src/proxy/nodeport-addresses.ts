// --nodeport-addresses: which of the node's addresses accept node ports, and whether localhost node ports stay on.
import { cidrContains, parseCidr4 } from '../kube/ip.ts'

/** The node-port addresses picked from the candidates, and the resulting localhost node-port setting. */
export interface NodePortAddresses {
  ips: string[]
  localhostNodePorts: boolean
}

// Picks the candidate addresses (the node's interface addresses; 127.0.0.1 counts) inside the entries' CIDRs;
// "primary" picks the node IPs. Upstream turns localhost node ports off when 127.0.0.1 is not picked.
// Returns undefined when no entry is given (every local address: addrtype LOCAL). Unparseable entries are skipped.
export function pickNodePortAddresses(
  entries: readonly string[],
  candidates: readonly string[],
  nodeIPs: readonly string[],
  localhostNodePorts: boolean,
): NodePortAddresses | undefined {
  if (entries.length === 0) return undefined
  const picked = new Set<string>()
  for (const e of entries) {
    if (e === 'primary') {
      for (const ip of nodeIPs) picked.add(ip)
      continue
    }
    const c = parseCidr4(e, 'strict')
    if (!c) continue
    for (const ip of candidates) if (cidrContains(c, ip)) picked.add(ip)
  }
  return { ips: [...picked].sort(), localhostNodePorts: localhostNodePorts && picked.has('127.0.0.1') }
}
