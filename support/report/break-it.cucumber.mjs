// The break-it run's cucumber profile: the suite's, plus the hooks that break a component, with every report in
// SVCNET_REPORTS_DIR (so the run never touches reports/ of a suite running at the same time).
import common from '../../cucumber.mjs'

const dir = process.env.SVCNET_REPORTS_DIR
if (!dir) throw new Error('break-it.cucumber.mjs: set SVCNET_REPORTS_DIR to the folder for this run')

export default {
  ...common,
  import: [...common.import, 'support/report/break-it-hooks.ts'],
  format: ['progress', `allure-cucumberjs/reporter:${dir}/allure.log`, `message:${dir}/messages.ndjson`],
  formatOptions: { ...common.formatOptions, printAttachments: false, resultsDir: `${dir}/allure-results` },
}
