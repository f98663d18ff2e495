// Cucumber profiles. Node 24 loads the TypeScript support and step files directly (type stripping).
// Reports go to reports/, or to SVCNET_REPORTS_DIR (a run beside another one, e.g. a test's).
const reports = process.env.SVCNET_REPORTS_DIR || 'reports'

const common = {
  // No `paths`: cucumber's default is features/**/*.feature, and a path on the command line then replaces it.
  // The support entry points (they import the rest) and the steps; never the *.test.ts beside them.
  import: [
    'support/world.ts',
    'support/parameter-types.ts',
    'support/hooks.ts',
    'support/evidence-hooks.ts',
    'steps/**/*-steps.ts',
  ],
  format: [
    // The terminal shows a line per finished scenario (support/run/progress-formatter.ts); the steps go to a file.
    './support/run/progress-formatter.ts',
    `pretty:${reports}/cucumber-pretty.txt`,
    `allure-cucumberjs/reporter:${reports}/allure.log`,
    `junit:${reports}/junit.xml`,
    `message:${reports}/messages.ndjson`,
    `html:${reports}/cucumber.html`,
  ],
  formatOptions: {
    // Attachments go to the Allure report, not the step-by-step text.
    pretty: { includeAttachments: false },
    resultsDir: `${reports}/allure-results`,
    labels: [
      { name: 'epic', pattern: [/^@area:(.+)$/] },
      { name: 'severity', pattern: [/^@severity:(.+)$/] },
      // The upstream test itself is linked by a Before hook (support/hooks.ts), named and pointing at its source.
      { name: 'upstream', pattern: [/^@upstream:(.+)$/] },
    ],
  },
  tags: 'not @wip',
}

export default common
