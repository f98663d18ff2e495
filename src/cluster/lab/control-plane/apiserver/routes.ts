// URL routing for the API server: which resource, namespace, name and subresource a path names.
import { resourceInfo, type ResourceInfo } from './resources.ts'

/** What an API path addresses. */
export interface ApiTarget {
  info: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
}

// Parses `/api/v1/...` or `/apis/{g}/{v}/...` into a target; undefined when no served resource matches.
export function parseApiPath(pathname: string): ApiTarget | undefined {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent)
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
