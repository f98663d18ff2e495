// Allure Report 3 (no Java): one self-contained HTML file under reports/html, the run's context on its home page.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'allure'

// Written by the suite's BeforeAll (support/report/run-context.ts): provider, nodes, kube-proxy, DNS, commit, Node, kernel.
// The reports folder: reports/, or SVCNET_REPORTS_DIR (as cucumber.mjs and reportsDir() in src/paths.ts).
const reports = process.env.SVCNET_REPORTS_DIR || join(import.meta.dirname, 'reports')
const contextFile = join(reports, 'run-context.json')
const context = existsSync(contextFile) ? JSON.parse(readFileSync(contextFile, 'utf8')) : {}

export default defineConfig({
  name: 'svcnet: Kubernetes Service networking',
  output: join(reports, 'html'),
  variables: context,
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
      name: 'Service without ready endpoints',
      messageRegex: '[\\s\\S]*ready endpoints[\\s\\S]*',
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
  plugins: {
    awesome: {
      options: { singleFile: true, reportLanguage: 'en', reportName: 'svcnet', groupBy: ['epic', 'feature'] },
    },
  },
})
