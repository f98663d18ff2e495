// `svcnet report`: where the HTML report is; --serve serves it on 127.0.0.1; --open opens it in a browser.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { start } from '../exec/run.ts'
import { runCommand, UsageError, type CommandSpec } from '../flags/command.ts'
import { reportsDir } from '../paths.ts'
import { serveReport } from './report-server.ts'

/** `svcnet report`'s command line. */
export const REPORT_COMMAND: CommandSpec = {
  name: 'svcnet report',
  summary: "Prints the path of the last run's HTML report; serves it on 127.0.0.1 or opens it in a browser.",
  flags: {
    serve: {
      type: 'boolean',
      description: 'serve reports/html on 127.0.0.1 (never another address) until Ctrl-C',
    },
    port: { type: 'number', description: 'the port to serve on; 0 picks a free one', default: 0 },
    open: { type: 'boolean', description: 'open the report (or the served URL) with xdg-open or chromium' },
  },
  notes: 'The report is one self-contained file: opening it from disk works as well as serving it.',
}

/** How to open a report here: a command to start, or advice when this machine cannot show one. */
export type Opener = { argv: string[] } | { advice: string }

// The way to open `target` given the environment and which browsers are installed (pure).
export function opener(
  target: string,
  env: Record<string, string | undefined>,
  has: (bin: string) => boolean,
  root: boolean,
): Opener {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { advice: `no display here (DISPLAY is unset): open ${target} in a browser on a machine with one` }
  if (has('/usr/bin/xdg-open')) return { argv: ['/usr/bin/xdg-open', target] }
  // Chromium refuses to run as root without --no-sandbox.
  if (has('/usr/bin/chromium'))
    return { argv: ['/usr/bin/chromium', ...(root ? ['--no-sandbox'] : []), target] }
  return {
    advice: `neither xdg-open nor chromium is installed (apt-get install xdg-utils chromium): open ${target} in a browser`,
  }
}

// Runs `svcnet report`; with --serve it returns only when interrupted.
export async function reportCommand(argv: string[]): Promise<number> {
  return runCommand(REPORT_COMMAND, argv, async ({ flags }) => {
    const port = flags.port as number
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port ${port}: want a port number from 0 to 65535`)
    if (flags.port !== 0 && flags.serve !== true) throw new UsageError('--port is for --serve')
    // The report `svcnet test` and `npm run acceptance` build.
    const file = join(reportsDir(), 'html', 'index.html')
    if (!existsSync(file)) {
      process.stderr.write(`svcnet report: no report yet (${file}): run \`svcnet test\` first\n`)
      return 1
    }
    process.stdout.write(`HTML report: ${file}\n`)
    if (flags.serve !== true) {
      if (flags.open === true) openIn(file)
      return 0
    }
    const served = await serveReport(dirname(file), port)
    process.stdout.write(`serving ${dirname(file)} at ${served.url} (Ctrl-C stops)\n`)
    if (flags.open === true) openIn(served.url)
    await new Promise<void>((done) => process.once('SIGINT', done))
    await served.close()
    return 0
  })
}

// Opens the target in a browser, or says how to.
function openIn(target: string): void {
  const how = opener(target, process.env, existsSync, process.getuid?.() === 0)
  if ('advice' in how) {
    process.stdout.write(`${how.advice}\n`)
    return
  }
  start(how.argv[0]!, how.argv.slice(1), { detached: true })
  process.stdout.write(`opened with ${how.argv[0]}\n`)
}
