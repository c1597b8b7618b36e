// Small statistics shared by the bench sections and the soak run.

/** Nearest-rank percentile (`p` in 0–100) of an ascending list; NaN for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

/** An ascending copy. */
export const ascending = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
