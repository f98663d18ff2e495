// The worker thread that parses YAML request bodies, so a slow or huge document never blocks the API server's event loop.
import { parentPort } from 'node:worker_threads'
import { parse } from 'yaml'

/** A job: the YAML text to parse, with an id to answer. */
export interface YamlJob {
  id: number
  text: string
}

/** The answer: the parsed value, or the parser's error message. */
export type YamlAnswer = { id: number; value: unknown } | { id: number; error: string }

parentPort?.on('message', (job: YamlJob) => {
  let answer: YamlAnswer
  try {
    answer = { id: job.id, value: parse(job.text) }
  } catch (err) {
    answer = { id: job.id, error: (err as Error).message }
  }
  parentPort!.postMessage(answer)
})
