// Service ports from a Gherkin table (columns name, port, and optionally target port, protocol, node port).
import type { V1ServicePort } from '@kubernetes/client-node'

const COLUMNS = ['name', 'port', 'target port', 'protocol', 'node port']
const PROTOCOLS = ['TCP', 'UDP', 'SCTP']

// Reads table rows (as DataTable.hashes() gives them) into Service ports; every problem in the table is reported at once.
export function servicePortsFromTable(rows: ReadonlyArray<Record<string, string>>): V1ServicePort[] {
  const problems: string[] = []
  const unknown = Object.keys(rows[0] ?? {}).filter((c) => !COLUMNS.includes(c))
  if (unknown.length > 0)
    problems.push(`unknown columns ${unknown.join(', ')} (known: ${COLUMNS.join(', ')})`)
  if (rows.length === 0) problems.push('the table has no ports')
  const num = (row: number, col: string, text: string | undefined): number | undefined => {
    if (text === undefined || text === '') return undefined
    if (!/^\d+$/.test(text)) problems.push(`row ${row}: ${col} "${text}" is not a number`)
    return Number(text)
  }
  const ports = rows.map((r, i) => {
    const row = i + 1
    const port = num(row, 'port', r.port)
    if (port === undefined) problems.push(`row ${row}: no port`)
    const protocol = (r.protocol ?? 'TCP').toUpperCase()
    if (!PROTOCOLS.includes(protocol))
      problems.push(`row ${row}: protocol "${r.protocol}" is not TCP, UDP or SCTP`)
    const target = r['target port']
    const nodePort = num(row, 'node port', r['node port'])
    const sp: V1ServicePort = { port: port ?? 0, protocol }
    if (r.name) sp.name = r.name
    if (target) sp.targetPort = /^\d+$/.test(target) ? Number(target) : target
    if (nodePort !== undefined) sp.nodePort = nodePort
    return sp
  })
  if (problems.length > 0) throw new Error(`bad ports table: ${problems.join('; ')}`)
  return ports
}
