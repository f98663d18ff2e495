// When each line of a container log was written, for `kubectl logs --timestamps`. A container writes its log file
// directly (no runtime reads its output), so the kubelet watches the log folders (inotify) and notes, at every write,
// how long each file has grown and when; a line's time is that of the first note that covers its end. The error is the
// event loop's delay in hearing of a write (milliseconds), as containerd's is the delay in reading the pipe.
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'

/** One note: the file had `end` bytes at time `at` (ms since the epoch, sub-millisecond). */
interface Mark {
  end: number
  at: number
}

/** Notes of one log file. */
interface FileMarks {
  ino: number
  marks: Mark[]
}

/** Notes kept per file; beyond that every other old note is dropped (earlier lines then get a later time). */
const MAX_MARKS = 20_000

// Now in ms since the epoch with the monotonic clock's sub-millisecond part.
function preciseNow(): number {
  return performance.timeOrigin + performance.now()
}

// A moment as Go's time.RFC3339Nano prints it in UTC (what the kubelet prefixes): trailing zeros of the fraction
// dropped, no fraction when it is zero, e.g. 2026-12-01T16:40:01.12345Z (microsecond precision).
export function rfc3339Nano(ms: number): string {
  const whole = Math.floor(ms)
  const base = new Date(whole).toISOString().slice(0, 19)
  // Microseconds: what a float of milliseconds since 1970 holds exactly enough.
  const nanos = (whole % 1000) * 1_000_000 + Math.min(Math.round((ms - whole) * 1000), 999) * 1000
  const fraction =
    nanos === 0 ? '' : `.${String(Math.min(nanos, 999_999_999)).padStart(9, '0').replace(/0+$/, '')}`
  return `${base}${fraction}Z`
}

// Prefixes each line of `text` (the file's bytes from offset `start`) with the time its last byte was written.
export function prefixLines(text: string, start: number, timeOf: (end: number) => number): string {
  if (text === '') return ''
  const lines = text.split('\n')
  const trailing = lines.at(-1) === ''
  if (trailing) lines.pop()
  let offset = start
  const out = lines.map((line) => {
    offset += Buffer.byteLength(line) + 1
    return `${rfc3339Nano(timeOf(offset - 1))} ${line}`
  })
  return out.join('\n') + (trailing ? '\n' : '')
}

// The log times of every container log under one kubelet log directory (`<dir>/<pod dir>/<container>.log`).
export class LogTimes {
  readonly #files = new Map<string, FileMarks>()
  readonly #watchers = new Map<string, FSWatcher>()
  readonly #onError: (err: Error) => void

  constructor(onError: (err: Error) => void) {
    this.#onError = onError
  }

  // Starts watching the log directory and every pod folder in it, now and as they appear.
  start(logDir: string): void {
    this.#watchDir(logDir, (name) => this.#watchPod(join(logDir, name)))
    for (const e of readdirSync(logDir, { withFileTypes: true }))
      if (e.isDirectory()) this.#watchPod(join(logDir, e.name))
  }

  // Stops every watcher.
  stop(): void {
    for (const w of this.#watchers.values()) w.close()
    this.#watchers.clear()
  }

  // The log text (the file's bytes from offset `start`) with each line prefixed by the time it was written.
  timestamped(path: string, text: string, start = 0): string {
    this.#note(path)
    const marks = this.#files.get(path)?.marks ?? []
    const fallback = preciseNow()
    return prefixLines(text, start, (end) => {
      // The first note at or past the line's end: binary search over ends, which only grow.
      let lo = 0
      let hi = marks.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (marks[mid]!.end >= end) hi = mid
        else lo = mid + 1
      }
      return marks[lo]?.at ?? fallback
    })
  }

  // How many writes to a file have been noted (for tests).
  notes(path: string): number {
    return this.#files.get(path)?.marks.length ?? 0
  }

  // Watches a folder; `onEntry` hears of every entry created or renamed in it.
  #watchDir(dir: string, onEntry: (name: string) => void): void {
    if (this.#watchers.has(dir)) return
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name) onEntry(name.toString())
      })
      w.on('error', (err) => {
        // A pod folder removed with its pod: its watcher ends, and so do its notes.
        w.close()
        this.#watchers.delete(dir)
        for (const k of this.#files.keys()) if (k.startsWith(`${dir}/`)) this.#files.delete(k)
        if (
          (err as NodeJS.ErrnoException).code !== 'ENOENT' &&
          (err as NodeJS.ErrnoException).code !== 'EPERM'
        )
          this.#onError(new Error(`watching container logs in ${dir}: ${err.message}`, { cause: err }))
      })
      this.#watchers.set(dir, w)
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code !== 'ENOENT' &&
        (err as NodeJS.ErrnoException).code !== 'ENOTDIR'
      )
        this.#onError(
          new Error(`watching container logs in ${dir}: ${(err as Error).message}`, { cause: err }),
        )
    }
  }

  // Watches one pod's folder: every write to a *.log file in it is noted.
  #watchPod(dir: string): void {
    this.#watchDir(dir, (name) => {
      if (name.endsWith('.log')) this.#note(join(dir, name))
    })
    try {
      for (const name of readdirSync(dir)) if (name.endsWith('.log')) this.#note(join(dir, name))
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code !== 'ENOENT' &&
        (err as NodeJS.ErrnoException).code !== 'ENOTDIR'
      )
        this.#onError(
          new Error(`listing container logs in ${dir}: ${(err as Error).message}`, { cause: err }),
        )
    }
  }

  // Notes the file's size now, when it grew; a new file under the same name (a restart) starts over.
  #note(path: string): void {
    const at = preciseNow()
    let st
    try {
      st = statSync(path)
    } catch {
      // Gone between the event and now (renamed to .previous.log, or the pod removed): nothing to note.
      return
    }
    let f = this.#files.get(path)
    if (!f || f.ino !== st.ino) {
      // A restart renames the old log to <container>.previous.log: its notes go with it.
      if (f) this.#files.set(path.replace(/\.log$/, '.previous.log'), f)
      f = { ino: st.ino, marks: [] }
      this.#files.set(path, f)
    }
    const last = f.marks.at(-1)
    if (st.size <= (last?.end ?? 0)) return
    f.marks.push({ end: st.size, at })
    if (f.marks.length > MAX_MARKS) f.marks = f.marks.filter((_, i) => i % 2 === 1 || i >= MAX_MARKS / 2)
  }
}

// Timestamps a followed log as it grows: complete lines at once, a partial line when its newline arrives (or at end).
export class StreamStamper {
  readonly #stamp: (text: string, start: number) => string
  #offset: number
  #pending = Buffer.alloc(0)

  constructor(stamp: (text: string, start: number) => string, start: number) {
    this.#stamp = stamp
    this.#offset = start
  }

  // The timestamped complete lines of what has arrived so far ('' while a line is incomplete).
  push(chunk: Buffer): string {
    const all = Buffer.concat([this.#pending, chunk])
    const cut = all.lastIndexOf(0x0a) + 1
    this.#pending = all.subarray(cut)
    return this.#take(all.subarray(0, cut))
  }

  // The rest (a last line without a newline), timestamped.
  end(): string {
    const rest = this.#pending
    this.#pending = Buffer.alloc(0)
    return this.#take(rest)
  }

  // Stamps bytes that start at the current offset.
  #take(bytes: Buffer): string {
    if (bytes.length === 0) return ''
    const text = this.#stamp(bytes.toString('utf8'), this.#offset)
    this.#offset += bytes.length
    return text
  }
}
