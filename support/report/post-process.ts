// Finishing touches on the reports after a run (pure): run context and skip reasons in JUnit and Allure, no analytics.

/** Why a scenario was skipped, as the skip hook recorded it. */
export interface SkipRecord {
  feature: string
  scenario: string
  reason: string
}

// Text safe inside an XML attribute.
function xmlAttr(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\n', '&#10;')
}

// JUnit XML with the run context as <properties> of each testsuite and each skip reason as <skipped message>.
export function junitWithContext(
  xml: string,
  context: Readonly<Record<string, string>>,
  skips: readonly SkipRecord[],
): string {
  const props = Object.entries(context)
    .map(([k, v]) => `    <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`)
    .join('\n')
  let out = xml.replace(/(<testsuite\b[^>]*>)\n?/g, `$1\n  <properties>\n${props}\n  </properties>\n`)
  for (const s of skips) {
    const open = `<testcase classname="${xmlAttr(s.feature)}" name="${xmlAttr(s.scenario)}"`
    const at = out.indexOf(open)
    if (at === -1) continue
    const end = out.indexOf('</testcase>', at)
    const body = out.slice(at, end === -1 ? undefined : end)
    const marked = body.replace(
      /<skipped\s*\/>|<skipped>\s*<\/skipped>/,
      `<skipped message="${xmlAttr(s.reason)}"/>`,
    )
    out = out.slice(0, at) + marked + (end === -1 ? '' : out.slice(end))
  }
  return out
}

/** The fields of an Allure result that skip reasons touch. */
export interface AllureResultLike {
  name?: string
  status?: string
  statusDetails?: { message?: string; trace?: string }
  labels?: Array<{ name: string; value: string }>
}

// An Allure result with its skip reason as the status message (when it was skipped for one).
export function allureWithSkipReason<T extends AllureResultLike>(result: T, skips: readonly SkipRecord[]): T {
  if (result.status !== 'skipped') return result
  const feature = result.labels?.find((l) => l.name === 'feature')?.value
  const skip = skips.find(
    (s) => s.scenario === result.name && (feature === undefined || s.feature === feature),
  )
  if (!skip) return result
  return { ...result, statusDetails: { ...result.statusDetails, message: skip.reason } }
}

// The report's HTML without the analytics script Allure's single-file template always includes.
export function withoutAnalytics(html: string): string {
  return html.replace(
    /\s*<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js[^"]*"><\/script>\s*<script>[\s\S]*?gtag\('config'[\s\S]*?<\/script>/,
    '',
  )
}

// Every http(s) URL the HTML would load by itself (script/link/img src or href), for a test to assert there are none.
export function externalLoads(html: string): string[] {
  return [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(https?:\/\/[^"]+)"/g)].map(
    (m) => m[1]!,
  )
}
