// Allure Report 3 (no Java): one self-contained HTML file under reports/html, the run's context on its home page.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'allure'

// Written by the suite's BeforeAll (support/report/run-context.ts): provider, nodes, kube-proxy, DNS, commit, Node, kernel.
const contextFile = join(import.meta.dirname, 'reports', 'run-context.json')
const context = existsSync(contextFile) ? JSON.parse(readFileSync(contextFile, 'utf8')) : {}

export default defineConfig({
  name: 'svcnet: Kubernetes Service networking',
  output: './reports/html',
  variables: context,
  plugins: {
    awesome: {
      options: { singleFile: true, reportLanguage: 'en', reportName: 'svcnet', groupBy: ['epic', 'feature'] },
    },
  },
})
