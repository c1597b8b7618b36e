/** An error the user can act on: printed as one line on stderr, no stack trace, non-zero exit. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** How many failed sources the one-line "no usable source" error names before it only counts the rest. */
const NAMED_FAILURES = 3;

/** The error of a run in which no source could be used, naming what went wrong with each (one line). */
export function noUsableSource(failures: ReadonlyArray<{ source: string; error: string | null }>): UsageError {
  if (failures.length === 0) return new UsageError('no usable source: none given');
  const named = failures.slice(0, NAMED_FAILURES).map((f) => `${f.source}: ${f.error ?? 'failed'}`);
  const rest = failures.length - named.length;
  const all = failures.length === 1 ? '' : `all ${failures.length} sources failed: `;
  return new UsageError(`no usable source: ${all}${named.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`);
}
