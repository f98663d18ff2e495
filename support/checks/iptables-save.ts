// Parses `iptables-save` output into tables, chains and rules, to check what a node's kube-proxy programmed.

/** One table: its chains, each with its rules (the text after `-A CHAIN `). */
export type IptablesTables = Map<string, Map<string, string[]>>

// Parses iptables-save text; chains declared with `:NAME` appear even when empty.
export function parseIptablesSave(text: string): IptablesTables {
  const tables: IptablesTables = new Map()
  let current: Map<string, string[]> | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.startsWith('*')) {
      current = new Map()
      tables.set(line.slice(1), current)
    } else if (line.startsWith(':') && current) {
      const name = line.slice(1).split(' ')[0]!
      if (!current.has(name)) current.set(name, [])
    } else if (line.startsWith('-A ') && current) {
      const rest = line.slice(3)
      const space = rest.indexOf(' ')
      const chain = space === -1 ? rest : rest.slice(0, space)
      const rule = space === -1 ? '' : rest.slice(space + 1)
      if (!current.has(chain)) current.set(chain, [])
      current.get(chain)!.push(rule)
    }
  }
  return tables
}

// The rules of one chain, or undefined when the chain does not exist.
export function chainRules(tables: IptablesTables, table: string, chain: string): string[] | undefined {
  return tables.get(table)?.get(chain)
}

// The value following a flag in a rule (`--dport 80` → "80"), honouring quoted values.
export function ruleArg(rule: string, flag: string): string | undefined {
  const tokens = tokenize(rule)
  const i = tokens.indexOf(flag)
  return i === -1 ? undefined : tokens[i + 1]
}

// Splits a rule into tokens the way a shell would, keeping "quoted strings" whole.
export function tokenize(rule: string): string[] {
  const out: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g
  for (let m = re.exec(rule); m; m = re.exec(rule))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!)
  return out
}
