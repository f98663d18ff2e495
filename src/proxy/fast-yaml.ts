// A fast reader for the plain block YAML that Kubernetes tools write (kubectl, the yaml package, hand-written
// manifests): mappings, sequences (indented or not), quoted and plain scalars, `{}` and `[]`. Anything else — flow
// collections, anchors, tags, block scalars, comments after values, multi-line scalars, duplicate keys, plain scalars
// js-yaml might read differently — makes it give up (undefined), and the caller parses that document with js-yaml.
// Where it answers, the answer is js-yaml's (v5) with the JSON schema: plain `null`, `true`, `false` and JSON-like
// decimal numbers are typed, an empty value is "", every other plain scalar is a string (tested against js-yaml on every manifest in the
// repository).

/** A line of the document: its indentation and its content (trailing spaces removed). */
interface Line {
  indent: number
  text: string
}

/** Thrown inside the parser to give up; never escapes parseSimpleYaml. */
class GiveUp extends Error {}

const GIVE_UP = new GiveUp()

// Plain scalars js-yaml's JSON schema reads as numbers (JSON's grammar, plus a trailing "." as in "5.").
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$/
// Plain scalars that start with an indicator: not plain strings (or errors) to js-yaml.
const INDICATOR_START = /^[?:,[\]{}#&*!|>%@`]/

// The value of a scalar token (plain or quoted).
function scalar(token: string): unknown {
  if (token === '') return null
  const c = token[0]
  if (c === '"') {
    if (token.length < 2 || !token.endsWith('"')) throw GIVE_UP
    try {
      return JSON.parse(token) as unknown
    } catch {
      // YAML escapes JSON does not have (\x, \e, \N…): js-yaml reads it.
      throw GIVE_UP
    }
  }
  if (c === "'") {
    if (token.length < 2 || !token.endsWith("'")) throw GIVE_UP
    const inner = token.slice(1, -1)
    if (/'(?!')/.test(inner.replaceAll("''", ''))) throw GIVE_UP
    return inner.replaceAll("''", "'")
  }
  if (token === '{}') return {}
  if (token === '[]') return []
  if (token === 'null') return null
  if (token === 'true') return true
  if (token === 'false') return false
  if (DECIMAL.test(token)) return Number(token)
  if (
    INDICATOR_START.test(token) ||
    token === '-' ||
    token.startsWith('- ') ||
    token.includes(': ') ||
    token.includes(' #') ||
    token.endsWith(':')
  )
    throw GIVE_UP
  return token
}

/** The last entry() result (one shared object: entry() runs for every line). */
const ENTRY = { key: '', value: '' }

// Splits `key: value` / `key:` into the key and the value token (in the shared ENTRY); undefined when the text is
// not a mapping entry.
function entry(text: string): typeof ENTRY | undefined {
  let keyEnd: number
  let key: string
  const c = text[0]
  if (c === '"' || c === "'") {
    const close = text.indexOf(c, 1)
    if (close < 0) throw GIVE_UP
    keyEnd = close + 1
    if (text[keyEnd] !== ':') return undefined
    const k = scalar(text.slice(0, keyEnd))
    if (typeof k !== 'string') throw GIVE_UP
    key = k
  } else {
    const colon = text.indexOf(': ')
    keyEnd = colon >= 0 ? colon : text.endsWith(':') ? text.length - 1 : -1
    if (keyEnd <= 0) return undefined
    key = text.slice(0, keyEnd)
    // Keys typed as numbers would be printed back differently ("1.0" → "1"); indicators are not plain keys.
    if (
      INDICATOR_START.test(key) ||
      key[0] === '-' ||
      DECIMAL.test(key) ||
      key.includes(' #') ||
      key.includes(':')
    )
      throw GIVE_UP
  }
  if (key === '<<' || key === '__proto__') throw GIVE_UP
  ENTRY.key = key
  ENTRY.value = keyEnd + 1 >= text.length ? '' : text.slice(keyEnd + 1).trim()
  return ENTRY
}

// Recursive descent over the lines of one document.
class Parser {
  readonly #lines: Line[]
  #i = 0
  constructor(lines: Line[]) {
    this.#lines = lines
  }
  // The whole document.
  document(): unknown {
    const first = this.#lines[0]
    if (!first) return null
    const v = this.#node(first.indent)
    if (this.#i < this.#lines.length) throw GIVE_UP
    return v
  }
  // A mapping or sequence starting at the current line, whose lines sit at exactly `indent`.
  #node(indent: number): unknown {
    const line = this.#lines[this.#i]!
    if (line.indent !== indent) throw GIVE_UP
    if (line.text === '-' || line.text.startsWith('- ')) return this.#sequence(indent)
    if (entry(line.text)) return this.#mapping(indent)
    // A lone scalar document or a multi-line scalar: not for this reader.
    throw GIVE_UP
  }
  // A value that follows `key:` or `-` on the next lines: deeper lines, or (after a key) a sequence at the same indent.
  #childOf(indent: number, sequenceAtSameIndent: boolean): unknown {
    const next = this.#lines[this.#i]
    if (next && next.indent > indent) return this.#node(next.indent)
    if (
      sequenceAtSameIndent &&
      next &&
      next.indent === indent &&
      (next.text === '-' || next.text.startsWith('- '))
    )
      return this.#sequence(indent)
    // js-yaml 5 reads an empty value as "" (not null).
    return ''
  }
  #mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    while (this.#i < this.#lines.length) {
      const line = this.#lines[this.#i]!
      if (line.indent < indent) break
      if (line.indent > indent) throw GIVE_UP
      if (line.text === '-' || line.text.startsWith('- ')) break
      const e = entry(line.text)
      if (!e || Object.hasOwn(out, e.key)) throw GIVE_UP
      const key = e.key
      const value = e.value
      this.#i++
      out[key] = value === '' ? this.#childOf(indent, true) : this.#inlineValue(value, indent)
    }
    return out
  }
  // A value written on the key's own line: a scalar (its continuation on deeper lines is not supported).
  #inlineValue(token: string, indent: number): unknown {
    const next = this.#lines[this.#i]
    if (next && next.indent > indent) throw GIVE_UP
    return scalar(token)
  }
  #sequence(indent: number): unknown[] {
    const out: unknown[] = []
    while (this.#i < this.#lines.length) {
      const line = this.#lines[this.#i]!
      if (line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) {
        if (line.indent > indent) throw GIVE_UP
        break
      }
      const rest = line.text.slice(1).trimStart()
      if (rest === '') {
        this.#i++
        out.push(this.#childOf(indent, false))
        continue
      }
      // `- key: value` opens a mapping whose keys sit where `key` starts; `- - x` nests a sequence.
      const column = indent + (line.text.length - rest.length)
      if (rest === '-' || rest.startsWith('- ') || entry(rest)) {
        this.#lines[this.#i] = { indent: column, text: rest }
        out.push(this.#node(column))
        continue
      }
      this.#i++
      out.push(this.#inlineValue(rest, indent))
    }
    return out
  }
}

// Reads one YAML document of the plain subset; undefined when it uses anything beyond it (parse it with js-yaml).
export function parseSimpleYaml(doc: string): unknown {
  if (doc.includes('\t') || doc.includes('\r')) return undefined
  const lines: Line[] = []
  let pos = 0
  while (pos < doc.length) {
    let nl = doc.indexOf('\n', pos)
    if (nl < 0) nl = doc.length
    let start = pos
    while (start < nl && doc.charCodeAt(start) === 32) start++
    let end = nl
    while (end > start && doc.charCodeAt(end - 1) === 32) end--
    const indent = start - pos
    pos = nl + 1
    if (start === end || doc.charCodeAt(start) === 35) continue
    const text = doc.slice(start, end)
    if (text.includes('#') && /(^|\s)#/.test(text)) return undefined
    lines.push({ indent, text })
  }
  try {
    return new Parser(lines).document()
  } catch (err) {
    if (err instanceof GiveUp) return undefined
    throw err
  }
}

/** One document of a multi-document stream and the line it starts on (0-based). */
export interface StreamDocument {
  text: string
  line: number
}

// Splits a YAML stream at `---` lines; undefined when it has directives or `...` markers (leave those to js-yaml).
export function splitYamlStream(text: string): StreamDocument[] | undefined {
  const docs: StreamDocument[] = []
  let start = 0
  let startLine = 0
  let line = 0
  let pos = 0
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos)
    const end = nl < 0 ? text.length : nl
    const c = text.charCodeAt(pos)
    // Only lines starting with '-', '.' or '%' can be markers.
    if (c === 45 || c === 46 || c === 37) {
      const l = text.slice(pos, end).trimEnd()
      if (l.startsWith('%') || l === '...' || l.startsWith('... ')) return undefined
      if (l === '---' || l.startsWith('--- ')) {
        if (l.length > 3 && l.slice(4).trim() !== '' && !l.slice(4).trim().startsWith('#')) return undefined
        docs.push({ text: text.slice(start, pos), line: startLine })
        start = end + 1
        startLine = line + 1
      }
    }
    if (nl < 0) break
    pos = nl + 1
    line++
  }
  docs.push({ text: text.slice(start), line: startLine })
  return docs
}
