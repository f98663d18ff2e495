// The one parser of iptables-save / iptables-restore text (the proxy's stale-chain scan, its tests, the harness).

/** One table of a dump. */
export interface ParsedTable {
  name: string
  /** Declared chains in order of their `:NAME` lines. */
  chains: string[]
  /** Rules per chain in order (the text after `-A CHAIN `); declared chains appear even when empty. */
  rules: Map<string, string[]>
  /** Chains deleted with `-X`. */
  deleted: string[]
  /** `-I CHAIN rule` lines in order (iptables-restore input only): each goes first in its chain when applied. */
  inserts: Array<{ chain: string; rule: string }>
}

/** Every table of a dump by name, in the order they appear. */
export type ParsedDump = Map<string, ParsedTable>

// Parses a dump into its tables; throws on a rule outside a table or a malformed line (counters `[p:b]` are skipped).
export function parseIptablesSave(text: string): ParsedDump {
  const tables: ParsedDump = new Map()
  let current: ParsedTable | undefined
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim().replace(/^\[\d+:\d+\] /, '')
    if (line === '' || line.startsWith('#')) return
    if (line.startsWith('*')) {
      current = { name: line.slice(1), chains: [], rules: new Map(), deleted: [], inserts: [] }
      tables.set(current.name, current)
      return
    }
    if (!current) throw new Error(`line ${i + 1} is outside any table: ${line}`)
    if (line === 'COMMIT') {
      current = undefined
      return
    }
    if (line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0] ?? ''
      current.chains.push(name)
      if (!current.rules.has(name)) current.rules.set(name, [])
      return
    }
    const m = /^-([AXI]) (\S+)(?: (.*))?$/.exec(line)
    if (!m) throw new Error(`line ${i + 1} is not a chain, -A, -I or -X line: ${line}`)
    const [, op, chain, rest] = m as unknown as [string, string, string, string | undefined]
    if (op === 'X') current.deleted.push(chain)
    else if (op === 'I') current.inserts.push({ chain, rule: rest ?? '' })
    else {
      const list = current.rules.get(chain) ?? []
      list.push(rest ?? '')
      current.rules.set(chain, list)
    }
  })
  return tables
}

// Names of the chains a table declares in a dump.
export function chainsOfTable(dump: string, table: string): string[] {
  return parseIptablesSave(dump).get(table)?.chains ?? []
}

// The rules of one chain, or undefined when the table has no such chain.
export function chainRules(dump: ParsedDump, table: string, chain: string): string[] | undefined {
  return dump.get(table)?.rules.get(chain)
}

// Splits a rule into tokens the way a shell would, keeping "quoted strings" whole.
export function tokenize(rule: string): string[] {
  const out: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g
  for (let m = re.exec(rule); m; m = re.exec(rule))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!)
  return out
}

// The value following a flag in a rule (`--dport 80` → "80"), honouring quoted values.
export function ruleArg(rule: string, flag: string): string | undefined {
  const tokens = tokenize(rule)
  const i = tokens.indexOf(flag)
  return i === -1 ? undefined : tokens[i + 1]
}

// Orders a dump like upstream's sortIPTablesRules: tables by name; KUBE-NODEPORTS, KUBE-SERVICES, then chains alphabetically.
export function sortDump(text: string): string {
  const tables = [...parseIptablesSave(text).values()].sort((a, b) => a.name.localeCompare(b.name))
  const rank = (c: string) => (c === 'KUBE-NODEPORTS' ? '0' : c === 'KUBE-SERVICES' ? '1' : `2${c}`)
  const byRank = (a: string, b: string) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0)
  const out: string[] = []
  for (const t of tables) {
    out.push(`*${t.name}`)
    const chains = [...new Set(t.chains)].sort(byRank)
    for (const c of chains) out.push(`:${c} - [0:0]`)
    for (const c of [...t.rules.keys()].sort(byRank)) {
      for (const r of t.rules.get(c) ?? []) out.push(r ? `-A ${c} ${r}` : `-A ${c}`)
    }
    for (const c of t.deleted) out.push(`-X ${c}`)
    out.push('COMMIT')
  }
  return out.join('\n') + '\n'
}
