// API timestamps: RFC 3339 in UTC with second precision, as the Kubernetes API writes them.

// The RFC 3339 text of a moment, second precision: 2026-12-01T14:03:26Z.
export function rfc3339(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

// The same text, typed as @kubernetes/client-node's models declare time fields (they hold the string on the wire).
export function apiTime(at: Date): Date {
  return rfc3339(at) as unknown as Date
}

// Milliseconds since the epoch of an API timestamp (a string or a Date), or NaN when absent or unreadable.
export function timeOf(t: Date | string | undefined): number {
  if (t === undefined) return Number.NaN
  return typeof t === 'string' ? Date.parse(t) : t.getTime()
}
