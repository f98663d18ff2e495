// Reading a process environment as `env` prints it, and which Services its docker-links variables describe.

// `env` output → variables (a line without `=` continues the previous value, as a multi-line value prints).
export function parseEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>()
  let last: string | undefined
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq))) {
      last = line.slice(0, eq)
      vars.set(last, line.slice(eq + 1))
    } else if (last !== undefined && line !== '') vars.set(last, `${vars.get(last)}\n${line}`)
  }
  return vars
}

// The variable-name prefix kubelet uses for a Service: upper case, dashes as underscores (`foo-bar` → `FOO_BAR`).
export function serviceEnvPrefix(service: string): string {
  return service.toUpperCase().replaceAll('-', '_')
}

// The prefixes of the Services that have `<PREFIX>_SERVICE_HOST` in the environment, sorted.
export function servicePrefixesInEnv(env: ReadonlyMap<string, string>): string[] {
  return [...env.keys()]
    .filter((k) => k.endsWith('_SERVICE_HOST'))
    .map((k) => k.slice(0, -'_SERVICE_HOST'.length))
    .sort()
}
