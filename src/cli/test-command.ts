// `svcnet test`: the feature suite on a cluster of the chosen provider, then the HTML report (as `npm run acceptance`).
import { join } from 'node:path'
import { runAttached } from '../exec/run.ts'
import { runCommand, type CommandSpec } from '../flags/command.ts'
import { REPO_ROOT } from '../paths.ts'
import { TEST_FLAGS, testInvocation } from './test-options.ts'

export { TEST_PROVIDERS } from './test-options.ts'

/** `svcnet test`'s command line. */
export const TEST_COMMAND: CommandSpec = {
  name: 'svcnet test',
  args: '[FEATURE_FILE…]',
  summary:
    'Runs the feature suite (every feature, or the files given) on one cluster, prints a line per finished scenario, then builds the HTML report and prints its path.',
  flags: TEST_FLAGS,
  notes: [
    'The lab needs root. Flags win over the SVCNET_* variables they set (docs/ci.md lists them all).',
    'The step-by-step output goes to reports/cucumber-pretty.txt; `svcnet report --serve` shows the HTML report.',
  ].join('\n'),
}

// Runs the suite; returns its exit code.
export async function testCommand(argv: string[]): Promise<number> {
  return runCommand(TEST_COMMAND, argv, async (parsed) => {
    const { args, env } = testInvocation(parsed, process.env)
    return runAttached(process.execPath, [join(REPO_ROOT, 'scripts', 'acceptance.ts'), ...args], { env })
  })
}
