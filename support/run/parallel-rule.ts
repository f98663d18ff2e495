// Which scenario a free cucumber worker may start: a @serial scenario runs with no other, the rest side by side.

/** The tag of scenarios that change what every scenario sees (node-wide rules, kube-proxy, DNS) or time themselves. */
export const SERIAL_TAG = '@serial'

/** What the rule reads of a pickle (cucumber's Pickle has more). */
export interface TaggedPickle {
  tags: readonly { name: string }[]
}

// True when the pickle carries the serial tag (its own, or its feature's, which pickles inherit).
export function isSerial(pickle: TaggedPickle): boolean {
  return pickle.tags.some((t) => t.name === SERIAL_TAG)
}

// cucumber's parallelCanAssign: anything may start on an idle cluster; a serial scenario waits until nothing runs,
// and while one runs nothing else starts.
export function canAssign(pickle: TaggedPickle, running: readonly TaggedPickle[]): boolean {
  if (running.length === 0) return true
  return !isSerial(pickle) && !running.some(isSerial)
}
