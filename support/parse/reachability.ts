// A reachability table (from | to | result) read into the requests to make and the outcome each must have (pure).

/** Where a request starts. */
export type From = 'client pod' | 'outside client'
/** What a request must end in. */
export type Result = 'answered' | 'refused' | 'no answer'
/** Where a request goes: the service's cluster IP or load-balancer IP, or a node's IP at the service's node port. */
export type To = { kind: 'cluster IP' } | { kind: 'load-balancer IP' } | { kind: 'node port'; node: string }

/** One row of the table. */
export interface ReachabilityRow {
  from: From
  to: To
  result: Result
  /** The row as written, for messages. */
  text: string
}

const FROMS: readonly string[] = ['client pod', 'outside client']
const RESULTS: readonly string[] = ['answered', 'refused', 'no answer']

// Reads the rows (as DataTable.hashes() gives them); every problem of the table is reported at once.
export function parseReachability(rows: ReadonlyArray<Record<string, string>>): ReachabilityRow[] {
  const problems: string[] = []
  const out: ReachabilityRow[] = []
  rows.forEach((r, i) => {
    const from = (r.from ?? '').trim()
    const to = (r.to ?? '').trim()
    const result = (r.result ?? '').trim()
    const text = `${from} → ${to}: ${result}`
    if (!FROMS.includes(from)) problems.push(`row ${i + 1}: from "${from}" is not one of ${FROMS.join(', ')}`)
    if (!RESULTS.includes(result))
      problems.push(`row ${i + 1}: result "${result}" is not one of ${RESULTS.join(', ')}`)
    const nodePort = /^(\S+) node port$/.exec(to)
    const target: To | undefined =
      to === 'cluster IP' || to === 'load-balancer IP'
        ? { kind: to }
        : nodePort
          ? { kind: 'node port', node: nodePort[1]! }
          : undefined
    if (!target)
      problems.push(`row ${i + 1}: to "${to}" is not "cluster IP", "load-balancer IP" or "<node> node port"`)
    if (target) out.push({ from: from as From, to: target, result: result as Result, text })
  })
  if (rows.length === 0) problems.push('the table has no rows')
  if (problems.length > 0) throw new Error(`bad reachability table: ${problems.join('; ')}`)
  return out
}

// Whether a request's outcome (curl exit code, HTTP status) is the result the row asks for.
export function outcomeIs(result: Result, curlExit: number, status: number): boolean {
  if (result === 'answered') return curlExit === 0 && status === 200
  if (result === 'refused') return curlExit === 7
  return curlExit !== 0
}

// How a row's target reads in the table (the `to` cell as written).
export function describeTo(to: To): string {
  return to.kind === 'node port' ? `${to.node} node port` : to.kind
}
