// Bearer-token authentication for the API server: every request but the health checks names a known token, else 401.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { StatusError } from './status-error.ts'

// Paths anyone may ask, as upstream's system:public-info-viewer allows them (so readiness checks need no token).
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz'])

const digest = (text: string) => createHash('sha256').update(text).digest()

/** Who a request authenticated as. */
export interface AuthUser {
  name: string
}

// Checks `Authorization: Bearer <token>` against known tokens (token → user name), in constant time per token.
export class TokenAuthenticator {
  private readonly users: { digest: Buffer; name: string }[]

  constructor(tokens: ReadonlyMap<string, string>) {
    this.users = [...tokens].map(([token, name]) => {
      if (token.length < 16)
        throw new TypeError(`API server token for ${name} is too short (${token.length} < 16)`)
      return { digest: digest(token), name }
    })
  }

  // The user a request carries a valid token for, or undefined.
  authenticate(req: IncomingMessage): AuthUser | undefined {
    const header = req.headers.authorization ?? ''
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!m) return undefined
    const given = digest(m[1]!)
    let found: AuthUser | undefined
    for (const u of this.users) if (timingSafeEqual(u.digest, given)) found = { name: u.name }
    return found
  }

  // Throws 401 unless the request is for a public path or carries a valid token.
  check(req: IncomingMessage, path: string): void {
    if (PUBLIC_PATHS.has(path) && (req.method === 'GET' || req.method === 'HEAD')) return
    if (!this.authenticate(req)) throw unauthorized()
  }
}

// 401 as upstream answers a request without valid credentials.
export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized')
}
