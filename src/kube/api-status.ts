// The Status an API server answered with, read from a @kubernetes/client-node error.
import { ApiException } from '@kubernetes/client-node'

/** The parts of a Status body a caller reports: the HTTP code and the human message. */
export interface ApiStatus {
  code: number
  message: string
}

// The Status (code and message) behind an API error; undefined when err is not an API error or its body has no message.
export function apiStatus(err: unknown): ApiStatus | undefined {
  if (!(err instanceof ApiException)) return undefined
  const body = bodyObject(err.body)
  return typeof body?.message === 'string' ? { code: err.code, message: body.message } : undefined
}

// One line for any error: `message (HTTP code)` for an API Status, the body for other HTTP answers, else err.message.
export function apiMessage(err: unknown): string {
  const status = apiStatus(err)
  if (status) return `${status.message} (HTTP ${status.code})`
  if (err instanceof ApiException) {
    return typeof err.body === 'string' && err.body !== ''
      ? `HTTP ${err.code}: ${err.body}`
      : `HTTP ${err.code}`
  }
  return err instanceof Error ? err.message : String(err)
}

// The body as an object: parsed when it is JSON text, as is when already an object, else undefined.
function bodyObject(body: unknown): { message?: unknown } | undefined {
  if (typeof body === 'string') {
    if (!body.trimStart().startsWith('{')) return undefined
    try {
      return JSON.parse(body) as { message?: unknown }
    } catch {
      return undefined // not JSON after all: apiMessage() reports the raw body instead
    }
  }
  return body !== null && typeof body === 'object' ? (body as { message?: unknown }) : undefined
}
