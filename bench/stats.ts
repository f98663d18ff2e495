// Percentiles of a sample, for the benchmarks' printed tables (pure).

/** The summary a benchmark prints for a series of durations. */
export interface Summary {
  n: number
  min: number
  p50: number
  p90: number
  p99: number
  max: number
}

// The value at percentile p (0–100) of a sample, nearest-rank; throws on an empty sample.
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) throw new RangeError('percentile of an empty sample')
  const sorted = [...sample].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]!
}

// n, min, p50, p90, p99 and max of a sample.
export function summarise(sample: readonly number[]): Summary {
  return {
    n: sample.length,
    min: percentile(sample, 0),
    p50: percentile(sample, 50),
    p90: percentile(sample, 90),
    p99: percentile(sample, 99),
    max: percentile(sample, 100),
  }
}
