// Deterministic pseudo-random numbers for tests that draw many inputs: a failure names a seed that replays it.

/** A linear congruential generator: numbers in [0, 1), the same sequence for the same seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
