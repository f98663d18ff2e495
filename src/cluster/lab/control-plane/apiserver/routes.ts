// URL routing for the API server: the request target parsed safely, and which resource, namespace, name and subresource a path names.
import { pathSegmentProblem } from './object-meta.ts'
import { resourceInfo, type ResourceInfo } from './resources.ts'
import { StatusError, badRequest } from './status-error.ts'

/** A request target split into a clean path (decoded segments joined by '/') and its query. */
export interface RequestTarget {
  /** `/api/v1/namespaces/default/pods`: decoded, no empty, `.` or `..` segments, no trailing slash. */
  pathname: string
  searchParams: URLSearchParams
}

// Parses the raw request target as sent (never normalised: `..` must not climb); 400 for bad escapes and dot segments, 404 for empty segments.
export function parseRequestTarget(raw: string | undefined, method: string): RequestTarget {
  const text = raw ?? ''
  const q = text.indexOf('?')
  const rawPath = q >= 0 ? text.slice(0, q) : text
  if (!rawPath.startsWith('/'))
    throw badRequest(`invalid request target ${JSON.stringify(text.slice(0, 200))}`)
  const parts = rawPath.slice(1).split('/')
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  const segments = parts.map((p) => {
    let seg: string
    try {
      seg = decodeURIComponent(p)
    } catch {
      throw badRequest(`invalid URL escape in path segment ${JSON.stringify(p.slice(0, 200))}`)
    }
    const problem = pathSegmentProblem(seg)
    if (problem && seg !== '')
      throw badRequest(`invalid path segment ${JSON.stringify(seg.slice(0, 200))}: ${problem}`)
    return seg
  })
  const pathname = `/${segments.join('/')}`
  if (segments.length > 1 && segments.includes('')) {
    throw new StatusError(
      404,
      'NotFound',
      `the server could not find the requested resource (${method} ${pathname.slice(0, 200)})`,
    )
  }
  return { pathname, searchParams: new URLSearchParams(q >= 0 ? text.slice(q + 1) : '') }
}

/** What an API path addresses. */
export interface ApiTarget {
  info: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
}

// Parses a clean path (see parseRequestTarget) `/api/v1/...` or `/apis/{g}/{v}/...` into a target; undefined when no served resource matches.
export function parseApiPath(pathname: string): ApiTarget | undefined {
  const parts = pathname.split('/').filter((p) => p !== '')
  let gv: string
  let rest: string[]
  if (parts[0] === 'api' && parts[1] === 'v1') {
    gv = 'v1'
    rest = parts.slice(2)
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    gv = `${parts[1]}/${parts[2]}`
    rest = parts.slice(3)
  } else {
    return undefined
  }
  const served = (r: string | undefined) => {
    const info = r === undefined ? undefined : resourceInfo(r)
    return info && info.apiVersion === gv ? info : undefined
  }
  // /namespaces/{ns}/{resource}[/{name}[/{sub}]] for namespaced resources.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const info = served(rest[2])
    if (info?.namespaced && rest.length <= 5) {
      return {
        info,
        namespace: rest[1],
        ...(rest[3] ? { name: rest[3] } : {}),
        ...(rest[4] ? { subresource: rest[4] } : {}),
      }
    }
  }
  const info = served(rest[0])
  if (!info || rest.length > 3) return undefined
  return { info, ...(rest[1] ? { name: rest[1] } : {}), ...(rest[2] ? { subresource: rest[2] } : {}) }
}
