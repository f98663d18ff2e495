// Kubernetes API errors as metav1.Status: thrown by the store, written as the HTTP body by the server.

/** A metav1.Status cause (one invalid field). */
export interface StatusCause {
  reason?: string
  message: string
  field?: string
}

/** The metav1.Status body of a failed request. */
export interface StatusBody {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Failure'
  message: string
  reason: string
  details?: {
    name?: string
    group?: string
    kind?: string
    causes?: StatusCause[]
    retryAfterSeconds?: number
  }
  code: number
}

// An API error with an HTTP code, a reason (NotFound, AlreadyExists, Conflict, Invalid, Gone, BadRequest…) and a Status body.
export class StatusError extends Error {
  readonly code: number
  readonly reason: string
  readonly details: StatusBody['details']

  constructor(code: number, reason: string, message: string, details?: StatusBody['details']) {
    super(message)
    this.name = 'StatusError'
    this.code = code
    this.reason = reason
    this.details = details
  }

  // The Status object the API server returns for this error.
  toStatus(): StatusBody {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    }
  }
}

// 404: `pods "web" not found`.
export function notFound(resource: string, group: string, name: string): StatusError {
  const qualified = group ? `${resource}.${group}` : resource
  return new StatusError(404, 'NotFound', `${qualified} "${name}" not found`, { name, group, kind: resource })
}

// 409: `services "web" already exists`.
export function alreadyExists(resource: string, group: string, name: string): StatusError {
  const qualified = group ? `${resource}.${group}` : resource
  return new StatusError(409, 'AlreadyExists', `${qualified} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  })
}

// 409: optimistic-concurrency conflict on update.
export function conflict(resource: string, group: string, name: string): StatusError {
  const qualified = group ? `${resource}.${group}` : resource
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: resource },
  )
}

// 422: `Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 32233: provided port is already allocated`.
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
  const qualified = group ? `${kind}.${group}` : kind
  const list = causes.map((c) => c.message)
  const joined = list.length === 1 ? list[0]! : `[${list.join(', ')}]`
  return new StatusError(422, 'Invalid', `${qualified} "${name}" is invalid: ${joined}`, {
    name,
    group,
    kind,
    causes,
  })
}

// 410: the requested resourceVersion is older than the watch cache holds.
export function gone(message: string): StatusError {
  return new StatusError(410, 'Expired', message)
}

// 400: a malformed request.
export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message)
}
