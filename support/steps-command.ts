// `svcnet steps`: prints every step with what it does and an example; `--write` regenerates docs/steps.md and the README table.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand, type CommandSpec } from '../src/flags/command.ts'
import { REPO_ROOT } from '../src/paths.ts'
import {
  catalogueProblems,
  readStepDocs,
  renderReadmeTable,
  renderStepsMarkdown,
  withReadmeTable,
} from './step-catalogue.ts'

const SPEC: CommandSpec = {
  name: 'svcnet steps',
  summary: 'Lists the Gherkin steps the features can use, each with what it does and an example.',
  flags: {
    write: { type: 'boolean', description: 'regenerate docs/steps.md and the README step catalogue instead' },
  },
}

// Runs `svcnet steps [--write]`.
export async function stepsCommand(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async ({ flags }) => {
    const docs = readStepDocs(join(REPO_ROOT, 'steps'))
    const problems = catalogueProblems(docs)
    if (problems.length > 0) {
      process.stderr.write(`svcnet steps: the step files need fixing:\n  ${problems.join('\n  ')}\n`)
      return 1
    }
    if (!flags.write) {
      for (const d of docs)
        process.stdout.write(`${d.keyword} ${d.expression}\n    ${d.description}\n    e.g. ${d.example}\n\n`)
      return 0
    }
    writeFileSync(join(REPO_ROOT, 'docs', 'steps.md'), renderStepsMarkdown(docs))
    const readme = join(REPO_ROOT, 'README.md')
    writeFileSync(readme, withReadmeTable(readFileSync(readme, 'utf8'), renderReadmeTable(docs)))
    process.stdout.write(`wrote docs/steps.md and the README step catalogue (${docs.length} steps)\n`)
    return 0
  })
}
