// The descriptions and required fields of @kubernetes/client-node's models, read from their declaration files.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** What a model's declaration says about it. */
export interface ModelDocs {
  description?: string
  fields: Record<string, { description?: string; required: boolean }>
}

const MODELS_DIR = fileURLToPath(new URL('./gen/models/', import.meta.resolve('@kubernetes/client-node')))
const cache = new Map<string, ModelDocs>()

// A doc comment's text: `*` margins dropped, escaped quotes restored.
const commentText = (body: string) =>
  body
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trimEnd())
    .join('\n')
    .trim()
    .replace(/\\(['"])/g, '$1')

// Parses a generated model's `.d.ts`: the class comment, and each property's comment and optionality.
export function parseModelDeclaration(text: string, className: string): ModelDocs {
  const cls = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export declare class ${className}\\b`).exec(
    text,
  )
  const fields: ModelDocs['fields'] = {}
  const body = text.slice(cls ? cls.index + cls[0].length : 0)
  for (const m of body.matchAll(/(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([^']+)'(\??):/g)) {
    const description = m[1] === undefined ? undefined : commentText(m[1])
    fields[m[2]!] = { ...(description ? { description } : {}), required: m[3] !== '?' }
  }
  const description = cls?.[1] === undefined ? undefined : commentText(cls[1])
  return { ...(description ? { description } : {}), fields }
}

// The docs of one client-node model class (empty when its declaration file cannot be read).
export function modelDocs(className: string): ModelDocs {
  let docs = cache.get(className)
  if (!docs) {
    let text = ''
    try {
      text = readFileSync(`${MODELS_DIR}${className}.d.ts`, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    docs = text ? parseModelDeclaration(text, className) : { fields: {} }
    cache.set(className, docs)
  }
  return docs
}
