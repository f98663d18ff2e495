// Small HTTP helpers for the API server: read a request body, write JSON and Status responses.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parse as parseYaml } from 'yaml'
import { StatusError, badRequest } from './status-error.ts'

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

// Parses a request body as JSON (or YAML when the Content-Type says so); a 400 Status when it cannot.
export function parseBody(text: string, contentType: string | undefined): unknown {
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
  try {
    return /yaml/.test(contentType ?? '') && !/apply-patch/.test(contentType ?? '')
      ? parseYaml(text)
      : JSON.parse(text)
  } catch (err) {
    throw badRequest(
      `the body of the request could not be decoded as ${/yaml/.test(contentType ?? '') ? 'YAML' : 'JSON'}: ${(err as Error).message}`,
    )
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
