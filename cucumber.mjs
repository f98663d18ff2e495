// Cucumber profiles. Node 24 loads the TypeScript support and step files directly (type stripping).
const common = {
  // No `paths`: cucumber's default is features/**/*.feature, and a path on the command line then replaces it.
  // The support entry points (they import the rest) and the steps; never the *.test.ts beside them.
  import: ['support/world.ts', 'support/parameter-types.ts', 'support/hooks.ts', 'steps/**/*-steps.ts'],
  format: [
    'pretty',
    'allure-cucumberjs/reporter:reports/allure.log',
    'junit:reports/junit.xml',
    'message:reports/messages.ndjson',
    'html:reports/cucumber.html',
  ],
  formatOptions: {
    // Attachments go to the reports, not the terminal.
    pretty: { includeAttachments: false },
    resultsDir: 'reports/allure-results',
    labels: [
      { name: 'epic', pattern: [/^@area:(.+)$/] },
      { name: 'severity', pattern: [/^@severity:(.+)$/] },
      // The upstream test itself is linked by a Before hook (support/hooks.ts), named and pointing at its source.
      { name: 'upstream', pattern: [/^@upstream:(.+)$/] },
    ],
    // Failures grouped by cause in the report (first match wins); messages are the checks' plain sentences.
    categories: [
      {
        name: 'Cluster never started',
        messageRegex: '[\\s\\S]*the cluster never started[\\s\\S]*',
        matchedStatuses: ['broken', 'failed'],
      },
      {
        name: 'Node port not programmed',
        messageRegex: '[\\s\\S]*(KUBE-NODEPORTS|node port|:3[0-2]\\d{3}/)[\\s\\S]*',
        matchedStatuses: ['failed'],
      },
      {
        name: 'Wrong rules',
        messageRegex: '[\\s\\S]*KUBE-(SVC|SEP|EXT|SVL|FW|MARK-MASQ)[\\s\\S]*',
        matchedStatuses: ['failed'],
      },
      {
        name: 'DNS',
        messageRegex: '[\\s\\S]*(dig|NXDOMAIN|SERVFAIL|resolve|DNS)[\\s\\S]*',
        matchedStatuses: ['failed', 'broken'],
      },
      {
        name: 'API validation',
        messageRegex: '[\\s\\S]*(refused with|the API server answered|to be refused)[\\s\\S]*',
        matchedStatuses: ['failed'],
      },
      {
        name: 'Traffic not delivered',
        messageRegex: '[\\s\\S]*(curl exit|requests? .*failed|to answer HTTP 200|stop answering)[\\s\\S]*',
        matchedStatuses: ['failed'],
      },
      {
        name: 'Environment variables',
        messageRegex: '[\\s\\S]*(environment|variables for)[\\s\\S]*',
        matchedStatuses: ['failed'],
      },
      { name: 'Harness or lab error', matchedStatuses: ['broken'] },
    ],
  },
  tags: 'not @wip',
}

export default common
