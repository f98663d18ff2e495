// One HTTP request made with curl from somewhere in the cluster, and what came back.
import type { RunResult } from '../../src/exec/run.ts'

/** The outcome of one request (a UDP request too: url `udp://ip:port`, the answer as its body). */
export interface HttpProbe {
  url: string
  /** curl's exit code: 0 reached, 7 refused, 28 timed out, 6 name not resolved. */
  curlExit: number
  /** HTTP status, or 0 when no response. */
  status: number
  body: string
  error: string
}

const MARK = '\n__svcnet_http_code__='

// The curl argv for one request whose status code can be told from its body.
export function curlArgv(url: string, timeoutSeconds = 5): string[] {
  return ['curl', '-sS', '--max-time', String(timeoutSeconds), '-w', `${MARK}%{http_code}`, url]
}

// Reads curl's result back into an HttpProbe.
export function parseCurl(url: string, r: RunResult): HttpProbe {
  const at = r.stdout.lastIndexOf(MARK)
  const body = at === -1 ? r.stdout : r.stdout.slice(0, at)
  const status = at === -1 ? 0 : Number(r.stdout.slice(at + MARK.length).trim()) || 0
  return { url, curlExit: r.exitCode, status, body, error: r.stderr.trim() }
}

// One line describing a probe's outcome, for waits and reports.
export function describeProbe(p: HttpProbe): string {
  if (p.url.startsWith('udp://'))
    return p.curlExit === 0 ? `${p.url}: answered "${p.body}"` : `${p.url}: ${p.error || 'no answer'}`
  if (p.curlExit !== 0) return `${p.url}: curl exit ${p.curlExit} (${p.error || 'no message'})`
  const first = p.body.trim().split('\n').slice(0, 2).join(' | ')
  return `${p.url}: HTTP ${p.status}: ${first.length > 120 ? `${first.slice(0, 117)}...` : first}`
}

const BATCH_MARK = '\n__svcnet_request__='

// The curl argv for several requests in one run, each on a new connection (so each is load-balanced on its own).
export function curlBatchArgv(urls: readonly string[], timeoutSeconds = 3): string[] {
  return [
    'curl',
    '-sS',
    '--max-time',
    String(timeoutSeconds),
    '-H',
    'Connection: close',
    '-w',
    `${BATCH_MARK}%{exitcode} %{http_code} %{errormsg}\\n`,
    ...urls,
  ]
}

// Splits the output of curlBatchArgv back into one HttpProbe per URL, in order.
export function parseCurlBatch(urls: readonly string[], stdout: string): HttpProbe[] {
  const parts = stdout.split(BATCH_MARK)
  const probes: HttpProbe[] = []
  let body = parts[0] ?? ''
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!
    const nl = part.indexOf('\n')
    const line = nl === -1 ? part : part.slice(0, nl)
    const m = /^(\d+) (\d{3}) ?(.*)$/.exec(line)
    if (!m) throw new Error(`unreadable curl report line "${line}" for ${urls[i - 1] ?? 'an extra URL'}`)
    probes.push({
      url: urls[i - 1] ?? '?',
      curlExit: Number(m[1]),
      status: Number(m[2]),
      body,
      error: m[3]?.trim() ? `curl: (${m[1]}) ${m[3].trim()}` : '',
    })
    body = nl === -1 ? '' : part.slice(nl + 1)
  }
  if (probes.length !== urls.length)
    throw new Error(`curl reported ${probes.length} of ${urls.length} requests; output:\n${stdout}`)
  return probes
}

// The pod named in a hello-app style body (`Hostname: <pod>`), if any.
export function hostnameInBody(body: string): string | undefined {
  return /^Hostname: (\S+)$/m.exec(body)?.[1]
}

// The pod that answered a request: named in an HTTP body, or a UDP answer of one word (netexec's UDP server
// answers `hostname` with the pod's name).
export function answeredBy(probe: HttpProbe): string | undefined {
  if (probe.url.startsWith('udp://')) return /^\S+$/.test(probe.body) ? probe.body : undefined
  return hostnameInBody(probe.body)
}
