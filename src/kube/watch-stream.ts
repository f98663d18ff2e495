// Reads a watch response: one JSON event per line ({"type":"ADDED","object":{…}}), as the API server streams them.
import type { Readable } from 'node:stream'

/** One watch event; ERROR carries a Status as its object. */
export interface WatchEvent {
  type: string
  object: {
    metadata?: { name?: string; namespace?: string; resourceVersion?: string }
    code?: number
    reason?: string
    message?: string
  }
}

// Calls onEvent for each line of a watch stream, in order; resolves when the stream ends. A line that is not a
// watch event rejects (naming it); so does a throwing onEvent, after destroying the stream.
export async function readWatchEvents(
  stream: Readable,
  onEvent: (event: WatchEvent) => void,
  onData: () => void = () => {},
): Promise<void> {
  stream.setEncoding('utf8')
  let pending = ''
  const take = (line: string) => {
    if (line.trim() === '') return
    let event: WatchEvent
    try {
      event = JSON.parse(line) as WatchEvent
    } catch (err) {
      throw new Error(`watch stream: a line is not JSON: ${line.slice(0, 200)}`, { cause: err })
    }
    if (typeof event?.type !== 'string' || !event.object || typeof event.object !== 'object')
      throw new Error(`watch stream: a line is not a watch event: ${line.slice(0, 200)}`)
    onEvent(event)
  }
  try {
    for await (const chunk of stream) {
      onData()
      pending += chunk as string
      let start = 0
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        take(pending.slice(start, nl))
        start = nl + 1
      }
      pending = pending.slice(start)
    }
    take(pending)
  } catch (err) {
    stream.destroy()
    throw err
  }
}
