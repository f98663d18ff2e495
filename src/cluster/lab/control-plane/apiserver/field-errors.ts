// Field errors worded like upstream's k8s.io/apimachinery field.Error, as Status causes.
import type { StatusCause } from './status-error.ts'

// A value as upstream prints it in a field error: strings quoted, numbers bare, the rest as JSON.
export function formatValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v) ?? 'null'
}

// `field: Required value[: detail]`
export function required(field: string, detail?: string): StatusCause {
  return {
    reason: 'FieldValueRequired',
    field,
    message: `${field}: Required value${detail ? `: ${detail}` : ''}`,
  }
}

// `field: Invalid value: <value>: detail`
export function invalidValue(field: string, value: unknown, detail: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `${field}: Invalid value: ${formatValue(value)}: ${detail}`,
  }
}

// `field: Unsupported value: "x": supported values: "a", "b"`
export function unsupported(field: string, value: unknown, supported: string[]): StatusCause {
  const list = supported.map((s) => `"${s}"`).join(', ')
  return {
    reason: 'FieldValueNotSupported',
    field,
    message: `${field}: Unsupported value: ${formatValue(value)}: supported values: ${list}`,
  }
}

// `field: Duplicate value: <value>`
export function duplicate(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueDuplicate', field, message: `${field}: Duplicate value: ${formatValue(value)}` }
}

// `field: Forbidden: detail`
export function forbidden(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueForbidden', field, message: `${field}: Forbidden: ${detail}` }
}

// Each name rule: its pattern, its length limit and upstream's message when the pattern does not match.
const NAME_RULES = {
  dns1035: {
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    max: 63,
    message:
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  },
  'dns1123-label': {
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    max: 63,
    message:
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  'dns1123-subdomain': {
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    max: 253,
    message:
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
} as const

/** A name rule of upstream's apimachinery validation. */
export type NameRule = keyof typeof NAME_RULES

// Why a name breaks a rule, worded as upstream (the detail of the field error), or undefined when it is valid.
export function nameProblem(name: string, rule: NameRule): string | undefined {
  const { pattern, max, message } = NAME_RULES[rule]
  if (name.length > max) return `must be no more than ${max} characters`
  return pattern.test(name) ? undefined : message
}

// Checks a name as upstream does for the given rule; returns the causes (empty when valid).
export function validateName(field: string, name: string, rule: NameRule): StatusCause[] {
  const problem = nameProblem(name, rule)
  return problem ? [invalidValue(field, name, problem)] : []
}
