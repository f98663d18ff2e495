// Parses YAML request bodies in one worker thread with a deadline, a memory limit and a bounded queue (the yaml library needs ~6 µs a byte).
import { Worker } from 'node:worker_threads'
import { StatusError, badRequest } from './status-error.ts'
import type { YamlAnswer } from './yaml-worker.ts'

/** Limits of the YAML parser. */
export interface YamlParserLimits {
  /** A document that takes longer is refused (400) and the worker restarted. @default 2000 */
  timeoutMs?: number
  /** Documents waiting beyond this are refused with 429. @default 8 */
  maxQueued?: number
  /** The worker's heap limit; a document that needs more is refused (400). @default 128 */
  maxHeapMb?: number
}

interface Job {
  id: number
  text: string
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

// One worker parsing one document at a time, in order.
export class YamlParser {
  private worker: Worker | undefined
  private readonly queue: Job[] = []
  private current: Job | undefined
  private timer: NodeJS.Timeout | undefined
  private nextId = 1
  private readonly limits: Required<YamlParserLimits>

  constructor(limits: YamlParserLimits = {}) {
    this.limits = { timeoutMs: 2000, maxQueued: 8, maxHeapMb: 128, ...limits }
  }

  // Parses one YAML document; rejects with a StatusError (400, 429) the server can answer with.
  parse(text: string): Promise<unknown> {
    if (this.queue.length >= this.limits.maxQueued) {
      return Promise.reject(
        new StatusError(
          429,
          'TooManyRequests',
          'too many YAML bodies are being parsed; retry, or send JSON',
          {
            retryAfterSeconds: 1,
          },
        ),
      )
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, text, resolve, reject })
      this.pump()
    })
  }

  // Stops the worker; queued documents are refused.
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(badRequest('the API server is stopping'))
    this.finish(badRequest('the API server is stopping'))
    const worker = this.worker
    this.worker = undefined
    // An unref'd worker's exit would not keep the event loop alive long enough to resolve terminate().
    worker?.ref()
    await worker?.terminate()
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return
    const job = this.queue.shift()!
    this.current = job
    this.timer = setTimeout(
      () => this.restart(`took longer than ${this.limits.timeoutMs}ms to parse`),
      this.limits.timeoutMs,
    )
    this.timer.unref()
    this.ensureWorker().postMessage({ id: job.id, text: job.text })
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(new URL('./yaml-worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb, stackSizeMb: 4 },
    })
    worker.unref()
    worker.on('message', (answer: YamlAnswer) => {
      if (answer.id !== this.current?.id) return
      if ('error' in answer)
        this.finish(badRequest(`the body of the request could not be decoded as YAML: ${answer.error}`))
      else this.finish(undefined, answer.value)
    })
    // Only the live worker's failures count: a replaced worker's exit is expected.
    worker.on('error', (err) => {
      if (this.worker === worker) this.restart(`could not be parsed: ${err.message}`)
    })
    worker.on('exit', (code) => {
      if (this.worker === worker) this.restart(`could not be parsed: the YAML worker exited with ${code}`)
    })
    this.worker = worker
    return worker
  }

  // Refuses the current document and replaces the worker (it may be stuck or out of memory).
  private restart(why: string): void {
    const worker = this.worker
    this.worker = undefined
    this.finish(badRequest(`the YAML body of the request ${why}; send JSON`))
    void worker?.terminate()
  }

  private finish(err: Error | undefined, value?: unknown): void {
    const job = this.current
    if (!job) return
    clearTimeout(this.timer)
    this.current = undefined
    if (err) job.reject(err)
    else job.resolve(value)
    this.pump()
  }
}
