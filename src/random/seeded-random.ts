// Reproducible randomness for fuzz tests and benchmarks: the same seed gives the same sequence, so a failing run can
// be repeated from the seed it printed.

// A small seeded generator (mulberry32): numbers in [0, 1), as Math.random gives.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
