// Cucumber formatter: the progress display (support/run/progress-lines.ts) on the terminal, a line per finished
// scenario; the step-by-step output goes to the reports (see cucumber.mjs).
import { ProgressLines } from './progress-lines.ts'

/** What cucumber hands a formatter plugin (a subset of FormatterPluginContext). */
interface Context {
  on: (key: 'message', handler: (value: import('@cucumber/messages').Envelope) => void) => void
  write: (text: string) => void
}

// The plugin cucumber loads from `format: ['./support/run/progress-formatter.ts']`.
export default {
  type: 'formatter' as const,
  formatter({ on, write }: Context): void {
    const lines = new ProgressLines()
    on('message', (e) => {
      for (const line of lines.onEnvelope(e)) write(`${line}\n`)
    })
  },
}
