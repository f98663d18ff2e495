// Small HTTP helpers for the API server: read a request body, write JSON and Status responses.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { StatusError, badRequest } from './status-error.ts'
import type { YamlParser } from './yaml-parser.ts'

const MAX_BODY = 8 * 1024 * 1024

// Reads the whole request body as bytes (up to 8 MiB; larger is a 413).
export async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY)
      throw new StatusError(413, 'RequestEntityTooLarge', `request body larger than ${MAX_BODY} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

// Reads the whole request body as text.
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8')
}

// Upstream caps nesting at 10,000; V8's JSON.stringify (and the lab's recursive patch code) overflow the stack near 5,000.
const MAX_DEPTH = 1000

// The deepest nesting of [ and { in a body (quoted text skipped for JSON), stopping once it passes `limit`.
export function nestingDepth(text: string, limit: number, json: boolean): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22 && json) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return max
}

// The deepest block nesting a YAML text can have: the widest indentation (spaces, '-', '?' and ':') before a line's content.
function yamlIndentDepth(text: string): number {
  let max = 0
  for (const m of text.matchAll(/^[ \t?:-]+/gm)) if (m[0].length > max) max = m[0].length
  return max
}

// Parses a request body as JSON (or YAML, in a worker, when the Content-Type says so); 400 when it cannot or nests too deep.
export async function parseBody(
  text: string,
  contentType: string | undefined,
  yamlParser: YamlParser,
): Promise<unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim()
  if (type !== '' && !/json|yaml/.test(type)) {
    // client-go (kubectl) sends protobuf first and falls back to JSON on 415.
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format (${type}) - accepted media types include: application/json, application/yaml`,
    )
  }
  if (text.trim() === '') return undefined
  const yaml = /yaml/.test(type)
  const depth = Math.max(nestingDepth(text, MAX_DEPTH, !yaml), yaml ? yamlIndentDepth(text) : 0)
  if (depth > MAX_DEPTH) {
    throw badRequest(`the body of the request nests deeper than ${MAX_DEPTH} levels`)
  }
  if (yaml) {
    // JSON is YAML too, and JSON.parse is far cheaper than the YAML parser.
    if (/^\s*[[{]/.test(text)) {
      try {
        return JSON.parse(text) as unknown
      } catch {
        // Flow-style YAML that is not JSON: the YAML parser below decides.
      }
    }
    return yamlParser.parse(text)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(err as Error).message}`)
  }
}

// Writes a JSON response.
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

// Writes a plain-text response.
export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

// Writes a StatusError as its metav1.Status body.
export function sendStatus(res: ServerResponse, err: StatusError): void {
  sendJson(res, err.code, err.toStatus())
}

// Writes a Status as a whole HTTP response on a raw socket (no ServerResponse: CONNECT, upgrades, parser errors), then closes it.
export function writeRawStatus(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.toStatus())
  socket.on('error', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
  // The socket is no longer the HTTP server's: read and drop what the client still sends so its close is seen,
  // and give up after a while, or the connection (and the server's close()) would wait forever.
  socket.resume()
  setTimeout(() => socket.destroy(), RAW_LINGER_MS).unref()
}

const RAW_LINGER_MS = 5000
